using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>Size: y = int64 scalar element count of x (https://onnx.ai/onnx/operators/onnx__Size.html).</summary>
internal sealed class Size : IKernel
{
    public void Compute(KernelContext ctx) => ctx.Output<long>(0, [])[0] = ctx.Input(0).Length;
}
