using System.Numerics;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>Folds the inputs of one pooling window into one output value (MaxPool, AveragePool, LpPool).</summary>
internal interface IPoolAccumulator<T>
{
    void Reset();

    /// <param name="value">An input element inside the window (padding is never passed).</param>
    /// <param name="spatialIndex">Its row-major offset within its (n, c) plane.</param>
    void Add(T value, int spatialIndex);

    /// <param name="valid">Window elements inside the input.</param>
    /// <param name="padded">Window elements inside the padded input (count_include_pad divisor).</param>
    T Result(int valid, int padded);

    /// <summary>The spatial index chosen by the window (MaxPool's argmax), or -1.</summary>
    int Index { get; }
}

/// <summary>
/// Drives a pooling window over every output position of every (n, c) plane, N-D: output o covers input
/// positions o * stride - padBegin + kk * dilation for kk in [0, kernel), of which only those inside the input
/// reach the accumulator.
/// </summary>
internal static class WindowPool
{
    /// <param name="x">Input [planes, InputSize].</param>
    /// <param name="y">Output [planes, OutputSize].</param>
    /// <param name="indices">Empty, or [planes, OutputSize] receiving plane * InputSize + the accumulator's index.</param>
    public static void Run<T, TAcc>(ReadOnlySpan<T> x, Span<T> y, Span<long> indices, int planes, ConvPlan p, TAcc acc)
        where TAcc : struct, IPoolAccumulator<T>
    {
        int rank = p.Rank;
        Span<int> o = stackalloc int[rank];
        Span<int> lo = stackalloc int[rank];
        Span<int> hi = stackalloc int[rank];
        Span<int> start = stackalloc int[rank];
        Span<int> kk = stackalloc int[rank];
        Span<int> inStride = stackalloc int[rank];
        int s = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            inStride[d] = s;
            s *= p.Input[d];
        }

        for (int plane = 0; plane < planes; plane++)
        {
            var xs = x.Slice(plane * p.InputSize, p.InputSize);
            o.Clear();
            for (int outIndex = 0; outIndex < p.OutputSize; outIndex++)
            {
                int valid = 1;
                int padded = 1;
                for (int d = 0; d < rank; d++)
                {
                    int st = (o[d] * p.Strides[d]) - p.PadsBegin[d];
                    int dil = p.Dilations[d];
                    start[d] = st;

                    // kk range with 0 <= st + kk * dil < input.
                    lo[d] = st >= 0 ? 0 : (-st + dil - 1) / dil;
                    hi[d] = Math.Min(p.Kernel[d], FloorDiv(p.Input[d] - 1 - st, dil) + 1);
                    valid *= Math.Max(0, hi[d] - lo[d]);

                    // kk range with -padBegin <= st + kk * dil < input + padEnd (for count_include_pad).
                    int plo = st >= -p.PadsBegin[d] ? 0 : (-p.PadsBegin[d] - st + dil - 1) / dil;
                    int phi = Math.Min(p.Kernel[d], FloorDiv(p.Input[d] + p.PadsEnd[d] - 1 - st, dil) + 1);
                    padded *= Math.Max(0, phi - plo);
                }

                acc.Reset();
                if (valid > 0)
                {
                    lo.CopyTo(kk);
                    while (true)
                    {
                        int idx = 0;
                        for (int d = 0; d < rank; d++)
                        {
                            idx += (start[d] + (kk[d] * p.Dilations[d])) * inStride[d];
                        }

                        acc.Add(xs[idx], idx);
                        int e = rank - 1;
                        for (; e >= 0; e--)
                        {
                            if (++kk[e] < hi[e])
                            {
                                break;
                            }

                            kk[e] = lo[e];
                        }

                        if (e < 0)
                        {
                            break;
                        }
                    }
                }

                int yi = (plane * p.OutputSize) + outIndex;
                y[yi] = acc.Result(valid, padded);
                if (!indices.IsEmpty)
                {
                    indices[yi] = acc.Index < 0 ? -1 : ((long)plane * p.InputSize) + acc.Index;
                }

                for (int d = rank - 1; d >= 0; d--)
                {
                    if (++o[d] < p.Output[d])
                    {
                        break;
                    }

                    o[d] = 0;
                }
            }
        }
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);
}

/// <summary>Max over the window, remembering the first position of the maximum.</summary>
internal struct MaxAccumulator<T> : IPoolAccumulator<T>
    where T : INumber<T>
{
    private T _max;
    private int _index;

    public readonly int Index => _index;

    public void Reset()
    {
        _max = T.Zero;
        _index = -1;
    }

    public void Add(T value, int spatialIndex)
    {
        if (_index < 0 || value > _max || (T.IsNaN(value) && !T.IsNaN(_max)))
        {
            _max = value;
            _index = spatialIndex;
        }
    }

    public readonly T Result(int valid, int padded) => _max;
}

/// <summary>Mean over the window: the sum divided by the valid count, or the padded count with count_include_pad.</summary>
internal struct AverageAccumulator<T> : IPoolAccumulator<T>
    where T : INumber<T>
{
    private readonly bool _countIncludePad;
    private T _sum;

    public AverageAccumulator(bool countIncludePad)
    {
        _countIncludePad = countIncludePad;
        _sum = T.Zero;
    }

    public readonly int Index => -1;

    public void Reset() => _sum = T.Zero;

    public void Add(T value, int spatialIndex) => _sum += value;

    public readonly T Result(int valid, int padded)
    {
        int count = _countIncludePad ? padded : valid;
        return count == 0 ? T.Zero : _sum / T.CreateChecked(count);
    }
}

/// <summary>Lp norm over the window: (sum |x|^p)^(1/p); padding contributes zeros.</summary>
internal struct LpAccumulator<T> : IPoolAccumulator<T>
    where T : INumber<T>
{
    private readonly double _p;
    private double _sum;

    public LpAccumulator(double p)
    {
        _p = p;
        _sum = 0;
    }

    public readonly int Index => -1;

    public void Reset() => _sum = 0;

    public void Add(T value, int spatialIndex)
    {
        double v = Math.Abs(double.CreateChecked(value));
        _sum += _p == 2 ? v * v : _p == 1 ? v : Math.Pow(v, _p);
    }

    public readonly T Result(int valid, int padded) =>
        T.CreateChecked(_p == 2 ? Math.Sqrt(_sum) : _p == 1 ? _sum : Math.Pow(_sum, 1 / _p));
}
