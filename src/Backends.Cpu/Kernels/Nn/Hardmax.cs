using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// Hardmax: y = 1 at the first maximum along axis, 0 elsewhere; before opset 13 the input is coerced to 2-D at axis (default 1), from opset 13 a single axis (default -1)
/// (https://onnx.ai/onnx/operators/onnx__Hardmax.html).
/// </summary>
internal sealed class Hardmax : IKernel
{
    private readonly long _axis;

    public Hardmax(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.GetInt("axis", SoftmaxDriver.DefaultAxis(ctx.Opset));
    }

    public void Compute(KernelContext context) => SoftmaxDriver.Compute(context, _axis, SoftmaxKind.Hardmax);
}
