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
        Span<int> perm = rank <= 8 ? stackalloc int[rank] : new int[rank];
        if (!TryResolve(_perm, perm))
        {
            // Not a permutation of [0, rank): the shared resolver throws the descriptive error.
            TransformShapes.ResolvePermutation(_perm, rank, ctx.Error).CopyTo(perm);
        }

        Span<int> dims = rank <= 8 ? stackalloc int[rank] : new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = x.Dims[perm[i]];
        }

        var y = ctx.Output(0, x.DataType, dims);
        StridedCopy.RunPermuted(x, x.Dims, perm, y);
    }

    /// <summary>perm (reversed axes when absent) into <paramref name="result"/>; false when it is not a permutation.</summary>
    private static bool TryResolve(long[]? perm, Span<int> result)
    {
        int rank = result.Length;
        if (perm is null)
        {
            for (int i = 0; i < rank; i++)
            {
                result[i] = rank - 1 - i;
            }

            return true;
        }

        if (perm.Length != rank || rank > 64)
        {
            return false;
        }

        ulong seen = 0;
        for (int i = 0; i < rank; i++)
        {
            long p = perm[i];
            if (p < 0 || p >= rank || (seen & (1UL << (int)p)) != 0)
            {
                return false;
            }

            seen |= 1UL << (int)p;
            result[i] = (int)p;
        }

        return true;
    }
}
