using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// GatherElements: y[c] = data[c with c[axis] = indices[c]], y shaped like indices; negative indices wrap
/// (https://onnx.ai/onnx/operators/onnx__GatherElements.html).
/// </summary>
internal sealed class GatherElements : IKernel
{
    private readonly long _axis;

    public GatherElements(KernelCreationContext ctx) => _axis = ctx.Attributes.GetInt("axis", 0);

    public void Compute(KernelContext ctx)
    {
        var data = ctx.Input(0);
        var indices = ctx.Input(1);
        int axis = Core.TransformShapes.NormalizeAxis(_axis, data.Rank, ctx.Error);
        int[] offsets = Indices.ElementOffsets(ctx, data.Dims, indices, axis);
        var y = ctx.Output(0, data.DataType, indices.Dims);
        Elements.GatherBlocks(data, offsets, 1, y);
    }
}
