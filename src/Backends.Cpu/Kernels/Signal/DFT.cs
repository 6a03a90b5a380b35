using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Signal;

/// <summary>
/// DFT along one axis of a real [..., 1] or complex [..., 2] input (https://onnx.ai/onnx/operators/onnx__DFT.html):
/// X[k] = sum_{t &lt; n} x[t] exp(-2*pi*i*t*k/n), or with inverse = 1: x[t] = (1/n) sum_k X[k] exp(+2*pi*i*t*k/n).
/// n = dft_length (the signal is zero-padded or truncated to it) or the axis length. onesided = 1 keeps the
/// n/2 + 1 leading bins (as the ONNX reference does, for complex and inverse inputs too). Opset 17 takes the axis
/// as an attribute (default 1); opset 20 as the optional third input (default -2). The output is always complex.
/// Computed in double by <see cref="FftPlan"/>.
/// </summary>
internal sealed class DFT : IKernel
{
    private readonly bool _inverse;
    private readonly bool _onesided;
    private readonly long _axisAttribute;
    private readonly bool _axisIsInput;

    public DFT(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _inverse = attrs.GetInt("inverse", 0) != 0;
        _onesided = attrs.GetInt("onesided", 0) != 0;
        _axisIsInput = context.Opset >= 20;
        _axisAttribute = attrs.GetInt("axis", 1);
        if (_axisIsInput && attrs.Contains("axis"))
        {
            throw context.Error("from opset 20 the axis is the third input, not an attribute");
        }
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        bool complex = SignalInputs.CheckComplexLayout(context, x, "input", 2);
        int rank = x.Rank;
        long axisValue = _axisIsInput ? (context.HasInput(2) ? SignalInputs.ScalarInt(context, 2, "axis") : -2) : _axisAttribute;
        if (axisValue < -rank || axisValue > rank - 2)
        {
            throw context.Error($"axis {axisValue} is out of range for input {x.ShapeString}: the last axis holds the complex parts, so the axis must be in [{-rank}, {rank - 2}] and not -1");
        }

        int axis = (int)(axisValue < 0 ? axisValue + rank : axisValue);
        if (axis == rank - 1)
        {
            throw context.Error($"axis {axisValue} names the complex-parts axis of input {x.ShapeString}");
        }

        int signalLength = x.Dims[axis];
        long n = signalLength;
        if (context.HasInput(1))
        {
            n = SignalInputs.ScalarInt(context, 1, "dft_length");
        }

        if (n < 1 || n > FftPlan.MaxLength)
        {
            throw context.Error($"the DFT length must be in [1, {FftPlan.MaxLength}], got {n} (input {x.ShapeString}, axis {axis})");
        }

        int length = (int)n;
        int outLength = _onesided ? (length / 2) + 1 : length;
        var outDims = x.DimsArray();
        outDims[axis] = outLength;
        outDims[^1] = 2;
        var output = context.Output(0, x.DataType, outDims);
        if (output.Length == 0)
        {
            return;
        }

        int outer = AxisOps.Product(x.Dims[..axis]);
        int inner = AxisOps.Product(x.Dims[(axis + 1)..^1]);
        int parts = complex ? 2 : 1;
        double[] data = x.ToDoubleArray();
        var result = new double[output.Length];
        var plan = new FftPlan(length, _inverse);
        var re = new double[length];
        var im = new double[length];
        var scratch = new double[plan.ScratchLength];
        double scale = _inverse ? 1.0 / length : 1.0;
        int used = Math.Min(length, signalLength);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                for (int t = 0; t < used; t++)
                {
                    int src = ((((o * signalLength) + t) * inner) + i) * parts;
                    re[t] = data[src];
                    im[t] = complex ? data[src + 1] : 0;
                }

                re.AsSpan(used).Clear();
                im.AsSpan(used).Clear();
                plan.Transform(re, im, scratch);
                for (int k = 0; k < outLength; k++)
                {
                    int dst = ((((o * outLength) + k) * inner) + i) * 2;
                    result[dst] = re[k] * scale;
                    result[dst + 1] = im[k] * scale;
                }
            }
        }

        DoubleStore.Store(output, result);
    }
}
