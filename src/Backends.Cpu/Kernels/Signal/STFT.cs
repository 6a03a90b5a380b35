using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Signal;

/// <summary>
/// STFT of a real [batch, L, 1] or complex [batch, L, 2] signal (https://onnx.ai/onnx/operators/onnx__STFT.html):
/// Y[b, f, k] = sum_{t &lt; n} signal[b, f * frame_step + t] * window[t] * exp(-2*pi*i*t*k/n) for
/// f &lt; frames = 1 + (L - n) / frame_step (floor), with n = frame_length, else the window length, else L.
/// A missing window is all ones. onesided (default 1) keeps the n/2 + 1 leading bins. Output [batch, frames, bins, 2].
/// </summary>
internal sealed class STFT : IKernel
{
    private readonly bool _onesided;

    public STFT(KernelCreationContext context)
    {
        _onesided = context.Attributes.GetInt("onesided", 1) != 0;
    }

    public void Compute(KernelContext context)
    {
        var signal = context.Input(0);
        bool complex = SignalInputs.CheckComplexLayout(context, signal, "signal", 3);
        if (signal.Rank != 3)
        {
            throw context.Error($"signal must be [batch, length, 1 or 2], got shape {signal.ShapeString}");
        }

        long step = SignalInputs.ScalarInt(context, 1, "frame_step");
        if (step < 1)
        {
            throw context.Error($"frame_step must be positive, got {step}");
        }

        int batch = signal.Dims[0];
        int signalLength = signal.Dims[1];
        var windowTensor = context.OptionalInput(2);
        if (windowTensor is not null && (windowTensor.Rank != 1 || windowTensor.DataType != signal.DataType))
        {
            throw context.Error($"window must be 1-D with the signal's element type {signal.DataType.Name()}, got {windowTensor.DataType.Name()}{windowTensor.ShapeString}");
        }

        long frameLength = context.HasInput(3) ? SignalInputs.ScalarInt(context, 3, "frame_length") : windowTensor?.Dims[0] ?? signalLength;
        if (windowTensor is not null && windowTensor.Dims[0] != frameLength)
        {
            throw context.Error($"frame_length {frameLength} differs from the window length {windowTensor.Dims[0]}");
        }

        if (frameLength < 1 || frameLength > signalLength || frameLength > FftPlan.MaxLength)
        {
            throw context.Error($"frame_length must be in [1, signal length {signalLength}], got {frameLength} (signal {signal.ShapeString})");
        }

        int n = (int)frameLength;
        int frames = (int)(1 + ((signalLength - n) / step));
        int bins = _onesided ? (n / 2) + 1 : n;
        var output = context.Output(0, signal.DataType, [batch, frames, bins, 2]);
        if (output.Length == 0)
        {
            return;
        }

        double[] data = signal.ToDoubleArray();
        double[]? window = windowTensor?.ToDoubleArray();
        int parts = complex ? 2 : 1;
        var result = new double[output.Length];
        var plan = new FftPlan(n, inverse: false);
        var re = new double[n];
        var im = new double[n];
        var scratch = new double[plan.ScratchLength];
        for (int b = 0; b < batch; b++)
        {
            for (int f = 0; f < frames; f++)
            {
                int start = (b * signalLength) + (int)(f * step);
                for (int t = 0; t < n; t++)
                {
                    double w = window?[t] ?? 1;
                    int src = (start + t) * parts;
                    re[t] = data[src] * w;
                    im[t] = complex ? data[src + 1] * w : 0;
                }

                plan.Transform(re, im, scratch);
                int dst = ((b * frames) + f) * bins * 2;
                for (int k = 0; k < bins; k++)
                {
                    result[dst + (2 * k)] = re[k];
                    result[dst + (2 * k) + 1] = im[k];
                }
            }
        }

        DoubleStore.Store(output, result);
    }
}
