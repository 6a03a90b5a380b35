using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>
/// Multinomial: y[b, s] = a class index drawn with probability softmax(x[b, :]) (inputs are unnormalized log
/// probabilities) (https://onnx.ai/onnx/operators/onnx__Multinomial.html).
/// </summary>
internal sealed class Multinomial : IKernel
{
    private readonly DataType _dtype;
    private readonly int _sampleSize;
    private readonly RandomSource _random;

    public Multinomial(KernelCreationContext context)
    {
        var attrs = context.Attributes;
        _dtype = (DataType)attrs.GetInt("dtype", (long)DataType.Int32);
        if (_dtype is not (DataType.Int32 or DataType.Int64))
        {
            throw context.Error($"dtype must be int32 or int64, got {_dtype.Name()}");
        }

        long samples = attrs.GetInt("sample_size", 1);
        _sampleSize = samples is >= 1 and <= int.MaxValue ? (int)samples : throw context.Error($"sample_size must be positive, got {samples}");
        _random = new RandomSource(attrs);
    }

    public void Compute(KernelContext context)
    {
        var input = context.Input(0);
        if (input.Rank != 2)
        {
            throw context.Error($"input must be 2-D [batch_size, class_size], got shape {input.ShapeString}");
        }

        int batch = input.Dims[0];
        int classes = input.Dims[1];
        if (classes == 0 && batch > 0)
        {
            throw context.Error("class_size must be positive");
        }

        double[] logits = input.ToDoubleArray();
        var rng = _random.Create();
        var cdf = new double[classes];
        var values = new double[batch * _sampleSize];
        for (int b = 0; b < batch; b++)
        {
            // Cumulative unnormalized probabilities exp(x - max), so large logits do not overflow.
            var row = logits.AsSpan(b * classes, classes);
            double max = double.NegativeInfinity;
            foreach (double v in row)
            {
                max = Math.Max(max, v);
            }

            double total = 0;
            for (int c = 0; c < classes; c++)
            {
                total += Math.Exp(row[c] - max);
                cdf[c] = total;
            }

            for (int s = 0; s < _sampleSize; s++)
            {
                double u = rng.NextDouble() * total;
                int k = 0;
                while (k < classes - 1 && cdf[k] <= u)
                {
                    k++;
                }

                values[(b * _sampleSize) + s] = k;
            }
        }

        DoubleStore.Store(context.Output(0, _dtype, [batch, _sampleSize]), values);
    }
}
