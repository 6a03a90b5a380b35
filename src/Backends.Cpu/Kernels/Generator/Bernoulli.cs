using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>Bernoulli: y[i] = 1 with probability p[i], else 0 (https://onnx.ai/onnx/operators/onnx__Bernoulli.html).</summary>
internal sealed class Bernoulli : IKernel
{
    private readonly DataType? _dtype;
    private readonly RandomSource _random;

    public Bernoulli(KernelCreationContext context)
    {
        _dtype = context.Attributes.Contains("dtype") ? (DataType)context.Attributes.GetInt("dtype") : null;
        _random = new RandomSource(context.Attributes);
    }

    public void Compute(KernelContext context)
    {
        var input = context.Input(0);
        if (!input.DataType.IsFloatingPoint())
        {
            throw context.Error($"input must hold floating-point probabilities, got {input.DataType.Name()}");
        }

        var dtype = _dtype ?? input.DataType;
        if (!dtype.IsNumeric() && dtype != DataType.Bool)
        {
            throw context.Error($"unsupported output element type {dtype.Name()}");
        }

        double[] p = input.ToDoubleArray();
        var rng = _random.Create();
        var values = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            if (!(p[i] >= 0 && p[i] <= 1))
            {
                throw context.Error($"probability {p[i]} at index {i} is outside [0, 1]");
            }

            values[i] = rng.NextDouble() < p[i] ? 1 : 0;
        }

        DoubleStore.Store(context.Output(0, dtype, input.Dims), values);
    }
}
