using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// Softmax: y = exp(x - max) / sum(exp(x - max)) along axis; before opset 13 the input is coerced to 2-D at axis (default 1), from opset 13 a single axis (default -1)
/// (https://onnx.ai/onnx/operators/onnx__Softmax.html).
/// </summary>
internal sealed class Softmax : IKernel
{
    private readonly long _axis;

    public Softmax(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.GetInt("axis", SoftmaxDriver.DefaultAxis(ctx.Opset));
    }

    public void Compute(KernelContext context) => SoftmaxDriver.Compute(context, _axis, SoftmaxKind.Softmax);
}
