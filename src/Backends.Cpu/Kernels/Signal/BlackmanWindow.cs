using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Signal;

/// <summary>
/// Blackman window: w[t] = 0.42 - 0.5 cos(2*pi*t/N) + 0.08 cos(4*pi*t/N), t &lt; size, N = size (periodic) or size - 1
/// (symmetric) (https://onnx.ai/onnx/operators/onnx__BlackmanWindow.html).
/// </summary>
internal sealed class BlackmanWindow : IKernel
{
    private readonly CosineWindow _window;

    public BlackmanWindow(KernelCreationContext context)
    {
        _window = new CosineWindow(context, 0.42, 0.5, 0.08);
    }

    public void Compute(KernelContext context) => _window.Compute(context);
}
