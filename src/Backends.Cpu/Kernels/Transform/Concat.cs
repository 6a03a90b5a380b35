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
        var inputs = new List<Tensor>(ctx.InputCount);
        for (int i = 0; i < ctx.InputCount; i++)
        {
            if (ctx.OptionalInput(i) is { } t)
            {
                inputs.Add(t);
            }
        }

        if (inputs.Count == 0)
        {
            throw ctx.Error("needs at least one input");
        }

        var first = inputs[0];
        int rank = first.Rank;
        int axis = TransformShapes.NormalizeAxis(_axis, rank, ctx.Error);
        var dims = first.DimsArray();
        dims[axis] = 0;
        foreach (var t in inputs)
        {
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

        var y = ctx.Output(0, first.DataType, dims);
        int[] yStrides = Elements.Strides(dims);
        int offset = 0;
        foreach (var t in inputs)
        {
            // Each input lands in the output window starting at `offset` along axis.
            StridedCopy.Run(t, 0, Elements.Strides(t.Dims), y, offset * yStrides[axis], yStrides, t.Dims);
            offset += t.Dims[axis];
        }
    }
}
