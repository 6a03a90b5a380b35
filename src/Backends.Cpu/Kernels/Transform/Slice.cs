using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Slice: y = x[start_a : end_a : step_a] on the given axes, numpy semantics with clamped bounds and
/// negative steps; starts/ends/axes are attributes before opset 10 (https://onnx.ai/onnx/operators/onnx__Slice.html).
/// </summary>
internal sealed class Slice : IKernel
{
    private readonly long[]? _starts;
    private readonly long[]? _ends;
    private readonly long[]? _axes;

    public Slice(KernelCreationContext ctx)
    {
        if (ctx.Opset < 10)
        {
            _starts = ctx.Attributes.GetInts("starts") ?? throw ctx.Error("attribute 'starts' is required before opset 10");
            _ends = ctx.Attributes.GetInts("ends") ?? throw ctx.Error("attribute 'ends' is required before opset 10");
            _axes = ctx.Attributes.GetInts("axes");
        }
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        long[] starts = _starts ?? ctx.Input(1).ToInt64Array();
        long[] ends = _ends ?? ctx.Input(2).ToInt64Array();
        long[]? axesIn = _starts is null ? ctx.OptionalInput(3)?.ToInt64Array() : _axes;
        long[]? stepsIn = _starts is null ? ctx.OptionalInput(4)?.ToInt64Array() : null;
        var (axes, steps) = SliceSchema.Prepare(starts, ends, axesIn, stepsIn, x.Rank, ctx.Error);

        int[] inStrides = Elements.Strides(x.Dims);
        int[] dims = x.DimsArray();
        int[] strides = (int[])inStrides.Clone();
        long offset = 0;
        for (int i = 0; i < axes.Length; i++)
        {
            int a = axes[i];
            var (start, count) = TransformShapes.NormalizeSlice(starts[i], ends[i], steps[i], x.Dims[a]);
            dims[a] = (int)count;
            offset += start * inStrides[a];
            strides[a] = (int)Math.Clamp(steps[i] * inStrides[a], int.MinValue, int.MaxValue);
        }

        var y = ctx.Output(0, x.DataType, dims);
        if (y.Length > 0)
        {
            StridedCopy.Run(x, (int)offset, strides, y, dims);
        }
    }
}
