using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Mean: y = (x0 + x1 + ...) / N (broadcast) (https://onnx.ai/onnx/operators/onnx__Mean.html).</summary>
internal sealed class Mean : IKernel
{
    public void Compute(KernelContext context) => Variadic.Compute<Add.Op>(context, mean: true);
}
