using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Sum: y = x0 + x1 + ... (broadcast) (https://onnx.ai/onnx/operators/onnx__Sum.html).</summary>
internal sealed class Sum : IKernel
{
    public void Compute(KernelContext context) => Variadic.Compute<Add.Op>(context);
}
