using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Concat: joins the inputs along axis; all other dims must match (axis defaults to 1 before opset 4)
/// (https://onnx.ai/onnx/operators/onnx__Concat.html).
/// </summary>
internal sealed class Concat : IKernel
{
    private readonly long _axis;

    public Concat(KernelCreationContext ctx) =>
        _axis = ctx.Opset < 4 ? ctx.Attributes.GetInt("axis", 1) : ctx.Attributes.GetInt("axis");

    public void Compute(KernelContext ctx)
    {
        Tensor? first = null;
        for (int i = 0; i < ctx.InputCount && first is null; i++)
        {
            first = ctx.OptionalInput(i);
        }

        if (first is null)
        {
            throw ctx.Error("needs at least one input");
        }

        int rank = first.Rank;
        if (_axis < -rank || _axis >= rank)
        {
            throw ctx.Error($"axis {_axis} is out of range [{-rank}, {rank - 1}] for rank {rank}");
        }

        int axis = (int)(_axis < 0 ? _axis + rank : _axis);
        Span<int> dims = stackalloc int[rank];
        first.Dims.CopyTo(dims);
        dims[axis] = 0;
        for (int i = 0; i < ctx.InputCount; i++)
        {
            if (ctx.OptionalInput(i) is not { } t)
            {
                continue;
            }

            if (t.DataType != first.DataType)
            {
                throw ctx.Error($"inputs must share one element type, got {first.DataType.Name()} and {t.DataType.Name()}");
            }

            for (int d = 0; d < rank; d++)
            {
                if (t.Rank != rank || (d != axis && t.Dims[d] != first.Dims[d]))
                {
                    throw ctx.Error($"inputs {first.ShapeString} and {t.ShapeString} must match in every dimension but the concat axis {axis}");
                }
            }

            dims[axis] += t.Dims[axis];
        }

        // Row-major: the output is `outer` rows of dims[axis] * inner elements; input t fills, in every row, the
        // t.Dims[axis] * inner elements that start at its offset along axis.
        var y = ctx.OutputUninitialized(0, first.DataType, dims); // the inputs' blocks tile every output row
        int outer = Elements.Product(dims, 0, axis);
        int inner = Elements.Product(dims, axis + 1, rank);
        int row = dims[axis] * inner;
        int offset = 0;
        for (int i = 0; i < ctx.InputCount; i++)
        {
            if (ctx.OptionalInput(i) is not { } t)
            {
                continue;
            }

            int block = t.Dims[axis] * inner;
            for (int o = 0; o < outer && block > 0; o++)
            {
                Elements.Copy(t, o * block, y, (o * row) + offset, block);
            }

            offset += block;
        }
    }
}
