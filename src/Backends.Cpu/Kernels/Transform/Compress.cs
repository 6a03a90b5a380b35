using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Compress: y = the slices of x along axis (or the flattened elements, without axis) whose condition is
/// true; a shorter condition drops the rest (https://onnx.ai/onnx/operators/onnx__Compress.html).
/// </summary>
internal sealed class Compress : IKernel
{
    private readonly long? _axis;

    public Compress(KernelCreationContext ctx) =>
        _axis = ctx.Attributes.Contains("axis") ? ctx.Attributes.GetInt("axis") : null;

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var condition = ctx.Input(1);
        if (condition.DataType != DataType.Bool || condition.Rank != 1)
        {
            throw ctx.Error($"condition must be a 1-D bool tensor, got {condition.DataType.Name()}{condition.ShapeString}");
        }

        int axis = _axis is long a ? TransformShapes.NormalizeAxis(a, x.Rank, ctx.Error) : -1;
        int axisDim = axis < 0 ? x.Length : x.Dims[axis];
        var cond = condition.AsSpan<bool>();
        var selected = new List<int>();
        for (int i = 0; i < cond.Length; i++)
        {
            if (cond[i])
            {
                if (i >= axisDim)
                {
                    throw ctx.Error($"condition is true at position {i}, beyond the {axisDim} {(axis < 0 ? "elements" : $"slices along axis {axis}")} of input {x.ShapeString}");
                }

                selected.Add(i);
            }
        }

        int outer = axis < 0 ? 1 : Elements.Product(x.Dims, 0, axis);
        int inner = axis < 0 ? 1 : Elements.Product(x.Dims, axis + 1, x.Rank);
        int[] dims = axis < 0 ? [selected.Count] : x.DimsArray();
        if (axis >= 0)
        {
            dims[axis] = selected.Count;
        }

        var y = ctx.Output(0, x.DataType, dims);
        var offsets = new int[outer * selected.Count];
        for (int o = 0, p = 0; o < outer; o++)
        {
            foreach (int s in selected)
            {
                offsets[p++] = ((o * axisDim) + s) * inner;
            }
        }

        Elements.GatherBlocks(x, offsets, inner, y);
    }
}
