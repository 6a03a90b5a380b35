using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>CastLike: y = Cast(x) to the element type of target_type (https://onnx.ai/onnx/operators/onnx__CastLike.html).</summary>
internal sealed class CastLike : IKernel
{
    public void Compute(KernelContext context) => Cast.Run(context, context.Input(0), context.Input(1).DataType);
}
