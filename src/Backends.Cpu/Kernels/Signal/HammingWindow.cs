using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Signal;

/// <summary>
/// Hamming window: w[t] = 25/46 - 21/46 cos(2*pi*t/N), t &lt; size, N = size (periodic) or size - 1
/// (symmetric) (https://onnx.ai/onnx/operators/onnx__HammingWindow.html).
/// </summary>
internal sealed class HammingWindow : IKernel
{
    private readonly CosineWindow _window;

    public HammingWindow(KernelCreationContext context)
    {
        _window = new CosineWindow(context, 25.0 / 46.0, 21.0 / 46.0, 0);
    }

    public void Compute(KernelContext context) => _window.Compute(context);
}
