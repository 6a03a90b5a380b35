using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Gather: y[o, j, i] = data[o, indices[j], i] over data viewed as [outer, dims[axis], inner]; negative
/// indices wrap (https://onnx.ai/onnx/operators/onnx__Gather.html).
/// </summary>
internal sealed class Gather : IKernel
{
    private readonly long _axis;

    public Gather(KernelCreationContext ctx) => _axis = ctx.Attributes.GetInt("axis", 0);

    public void Compute(KernelContext ctx)
    {
        var data = ctx.Input(0);
        var indices = ctx.Input(1);
        if (data.Rank == 0)
        {
            throw ctx.Error("data must have rank >= 1, got a scalar");
        }

        int axis = TransformShapes.NormalizeAxis(_axis, data.Rank, ctx.Error);
        int axisDim = data.Dims[axis];
        int[] idx = Indices.WrapAll(ctx, Indices.Read(ctx, indices), axisDim, axis);

        var dims = new List<int>(data.Rank + indices.Rank - 1);
        dims.AddRange(data.Dims[..axis]);
        dims.AddRange(indices.Dims);
        dims.AddRange(data.Dims[(axis + 1)..]);
        var y = ctx.Output(0, data.DataType, dims.ToArray());

        int outer = Elements.Product(data.Dims, 0, axis);
        int inner = Elements.Product(data.Dims, axis + 1, data.Rank);
        var offsets = new int[outer * idx.Length];
        for (int o = 0, p = 0; o < outer; o++)
        {
            for (int j = 0; j < idx.Length; j++, p++)
            {
                offsets[p] = ((o * axisDim) + idx[j]) * inner;
            }
        }

        Elements.GatherBlocks(data, offsets, inner, y);
    }
}
