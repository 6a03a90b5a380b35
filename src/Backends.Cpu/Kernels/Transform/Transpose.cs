using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Transpose: y[i_0, ..., i_r-1] = x[j] with j_perm[k] = i_k; perm defaults to reversed axes
/// (https://onnx.ai/onnx/operators/onnx__Transpose.html).
/// </summary>
internal sealed class Transpose : IKernel
{
    private readonly long[]? _perm;

    public Transpose(KernelCreationContext ctx) => _perm = ctx.Attributes.GetInts("perm");

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        int rank = x.Rank;
        int[] perm = TransformShapes.ResolvePermutation(_perm, rank, ctx.Error);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = x.Dims[perm[i]];
        }

        var y = ctx.Output(0, x.DataType, dims);
        StridedCopy.RunPermuted(x, x.Dims, perm, y);
    }
}
