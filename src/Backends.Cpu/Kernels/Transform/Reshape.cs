using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// Reshape: y = x with new dims, 0 copying the input dim (unless allowzero), -1 inferred; y aliases x
/// (https://onnx.ai/onnx/operators/onnx__Reshape.html).
/// </summary>
internal sealed class Reshape : IKernel
{
    private readonly bool _allowZero;
    private readonly long[]? _shapeAttribute;

    public Reshape(KernelCreationContext ctx)
    {
        _allowZero = ctx.Opset >= 14 && ctx.Attributes.GetInt("allowzero", 0) != 0;
        if (ctx.Opset < 5)
        {
            _shapeAttribute = ctx.Attributes.GetInts("shape") ?? throw ctx.Error("attribute 'shape' is required before opset 5");
        }
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        long[] requested = _shapeAttribute ?? ReadShape(ctx);
        int[] dims = TransformShapes.ResolveReshape(requested, x.Dims, _allowZero, ctx.Error);
        ctx.SetOutput(0, x.Reshape(dims));
    }

    private static long[] ReadShape(KernelContext ctx)
    {
        var shape = ctx.Input(1);
        if (shape.Rank != 1)
        {
            throw ctx.Error($"shape must be a 1-D tensor, got shape {shape.ShapeString}");
        }

        return shape.ToInt64Array();
    }
}
