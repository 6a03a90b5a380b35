using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Signal;

/// <summary>
/// Hann window: w[t] = 0.5 - 0.5 cos(2*pi*t/N), t &lt; size, N = size (periodic) or size - 1
/// (symmetric) (https://onnx.ai/onnx/operators/onnx__HannWindow.html).
/// </summary>
internal sealed class HannWindow : IKernel
{
    private readonly CosineWindow _window;

    public HannWindow(KernelCreationContext context)
    {
        _window = new CosineWindow(context, 0.5, 0.5, 0);
    }

    public void Compute(KernelContext context) => _window.Compute(context);
}
