using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// ScatterElements (and the deprecated Scatter): y = data; y[c with c[axis] = indices[c]] =
/// reduce(that, updates[c]) for each position c of indices in order (reduction none/add/mul from
/// opset 16, max/min from 18); negative indices wrap (https://onnx.ai/onnx/operators/onnx__ScatterElements.html).
/// </summary>
internal sealed class ScatterElements : IKernel
{
    private readonly long _axis;
    private readonly ScatterReduction _reduction;

    public ScatterElements(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.GetInt("axis", 0);
        _reduction = ScatterUpdate.ParseReduction(ctx);
    }

    public void Compute(KernelContext ctx)
    {
        var data = ctx.Input(0);
        var indices = ctx.Input(1);
        var updates = ctx.Input(2);
        if (!updates.Dims.SequenceEqual(indices.Dims))
        {
            throw ctx.Error($"updates {updates.ShapeString} must have the shape of indices {indices.ShapeString}");
        }

        int axis = Core.TransformShapes.NormalizeAxis(_axis, data.Rank, ctx.Error);
        int[] offsets = Indices.ElementOffsets(ctx, data.Dims, indices, axis);
        ScatterUpdate.Run(ctx, data, updates, offsets, 1, _reduction);
    }
}
