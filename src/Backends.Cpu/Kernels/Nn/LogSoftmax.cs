using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// LogSoftmax: y = x - max - log(sum(exp(x - max))) along axis; before opset 13 the input is coerced to 2-D at axis (default 1), from opset 13 a single axis (default -1)
/// (https://onnx.ai/onnx/operators/onnx__LogSoftmax.html).
/// </summary>
internal sealed class LogSoftmax : IKernel
{
    private readonly long _axis;

    public LogSoftmax(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.GetInt("axis", SoftmaxDriver.DefaultAxis(ctx.Opset));
    }

    public void Compute(KernelContext context) => SoftmaxDriver.Compute(context, _axis, SoftmaxKind.LogSoftmax);
}
