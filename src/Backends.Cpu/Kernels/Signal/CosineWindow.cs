using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Signal;

/// <summary>
/// The generalized cosine windows (Hann, Hamming, Blackman): w[t] = a0 - a1 cos(2*pi*t/N) + a2 cos(4*pi*t/N) for
/// t &lt; size, N = size when periodic (the default) and size - 1 when symmetric. A symmetric window of size 1 is [1]
/// (N would be 0). Output type from output_datatype (float32 by default); integer types truncate.
/// </summary>
internal sealed class CosineWindow
{
    private readonly double _a0;
    private readonly double _a1;
    private readonly double _a2;
    private readonly bool _periodic;
    private readonly DataType _outputType;

    public CosineWindow(KernelCreationContext context, double a0, double a1, double a2)
    {
        _a0 = a0;
        _a1 = a1;
        _a2 = a2;
        _periodic = context.Attributes.GetInt("periodic", 1) != 0;
        _outputType = SignalInputs.OutputDataType(context);
    }

    public void Compute(KernelContext context)
    {
        long size = SignalInputs.ScalarInt(context, 0, "size");
        if (size < 0 || size > Array.MaxLength)
        {
            throw context.Error($"size must be non-negative, got {size}");
        }

        var output = context.Output(0, _outputType, [(int)size]);
        var values = new double[size];
        if (!_periodic && size == 1)
        {
            values[0] = 1;
        }
        else
        {
            double period = _periodic ? size : size - 1;
            for (int t = 0; t < values.Length; t++)
            {
                double angle = 2 * Math.PI * t / period;
                values[t] = _a0 - (_a1 * Math.Cos(angle)) + (_a2 * Math.Cos(2 * angle));
            }
        }

        DoubleStore.Store(output, values);
    }
}
