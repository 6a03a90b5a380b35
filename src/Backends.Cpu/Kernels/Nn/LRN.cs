using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// LRN: y = x / (bias + alpha / size * square_sum)^beta, square_sum over channels
/// [c - floor((size - 1) / 2), c + ceil((size - 1) / 2)] clipped to [0, C) (https://onnx.ai/onnx/operators/onnx__LRN.html).
/// </summary>
internal sealed class LRN : IKernel
{
    private readonly float _alpha;
    private readonly float _beta;
    private readonly float _bias;
    private readonly long _size;

    public LRN(KernelCreationContext ctx)
    {
        _alpha = ctx.Attributes.GetFloat("alpha", 1e-4f);
        _beta = ctx.Attributes.GetFloat("beta", 0.75f);
        _bias = ctx.Attributes.GetFloat("bias", 1f);
        _size = ctx.Attributes.GetInt("size");
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.Rank < 2)
        {
            throw ctx.Error($"input X must have rank >= 2 ([N, C, ...]), got shape {x.ShapeString}");
        }

        if (_size <= 0)
        {
            throw ctx.Error($"size must be positive, got {_size}");
        }

        if (!x.DataType.IsFloatingPoint())
        {
            throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }

        int n = x.Dims[0], c = x.Dims[1];
        int plane = n * c == 0 ? 0 : x.Length / (n * c);
        int before = (int)((_size - 1) / 2);
        int after = (int)(_size - 1 - before);
        var xs = x.ToDoubleArray();
        var ys = new double[xs.Length];
        var squareSum = new double[plane];
        double scale = _alpha / (double)_size;
        for (int img = 0; img < n; img++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                Array.Clear(squareSum);
                for (int k = Math.Max(0, ch - before); k <= Math.Min(c - 1, ch + after); k++)
                {
                    int off = ((img * c) + k) * plane;
                    for (int i = 0; i < plane; i++)
                    {
                        squareSum[i] += xs[off + i] * xs[off + i];
                    }
                }

                int o = ((img * c) + ch) * plane;
                for (int i = 0; i < plane; i++)
                {
                    ys[o + i] = xs[o + i] / Math.Pow(_bias + (scale * squareSum[i]), _beta);
                }
            }
        }

        var y = ctx.Output(0, x.DataType, x.Dims);
        if (x.DataType == DataType.Float64)
        {
            ys.CopyTo(y.AsSpan<double>());
        }
        else
        {
            FloatConversion.FromFloat(Array.ConvertAll(ys, v => (float)v), y);
        }
    }
}
