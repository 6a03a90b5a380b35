using System.Numerics;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Signal;

/// <summary>
/// Unscaled discrete Fourier transform of one complex sequence of length n, in double precision:
/// X[k] = sum_{t &lt; n} x[t] * exp(s * 2*pi*i * t * k / n), s = -1 forward, +1 inverse (the caller applies 1/n).
/// Power-of-two n use the iterative radix-2 Cooley-Tukey algorithm. Any other n uses Bluestein's chirp-z
/// identity t*k = (t^2 + k^2 - (k - t)^2) / 2, which turns the sum into X[k] = w[k] * sum_t (x[t] w[t]) conj(w[k - t])
/// with the chirp w[m] = exp(s * pi*i * m^2 / n): a linear convolution evaluated by power-of-two FFTs of length
/// M &gt;= 2n - 1. Both are O(n log n). A plan is immutable; callers hand in <see cref="ScratchLength"/> doubles.
/// </summary>
internal sealed class FftPlan
{
    private readonly int _n;

    // Radix-2: bit-reversal permutation and twiddles cos(2*pi*j/n), s * sin(2*pi*j/n) for j < n/2.
    private readonly int[]? _bitReverse;
    private readonly double[]? _cos;
    private readonly double[]? _sin;

    // Bluestein: chirp w[m] for m < n, the forward FFT (length M) of the convolution kernel b[m] = conj(w[|m|])
    // wrapped around M, and the power-of-two forward plan of length M.
    private readonly double[]? _chirpRe;
    private readonly double[]? _chirpIm;
    private readonly double[]? _kernelRe;
    private readonly double[]? _kernelIm;
    private readonly FftPlan? _inner;

    /// <summary>The longest supported transform: Bluestein's power-of-two helper (&lt; 4n) must stay an array length.</summary>
    public const int MaxLength = 1 << 27;

    public FftPlan(int n, bool inverse)
    {
        if (n < 1 || n > MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "FFT length must be positive");
        }

        _n = n;
        double sign = inverse ? 1 : -1;
        if (BitOperations.IsPow2(n))
        {
            int bits = BitOperations.Log2((uint)n);
            _bitReverse = new int[n];
            for (int i = 0; i < n; i++)
            {
                _bitReverse[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
            }

            _cos = new double[Math.Max(n / 2, 1)];
            _sin = new double[_cos.Length];
            for (int j = 0; j < n / 2; j++)
            {
                (double s, double c) = Math.SinCos(2 * Math.PI * j / n);
                _cos[j] = c;
                _sin[j] = sign * s;
            }

            return;
        }

        int m = (int)BitOperations.RoundUpToPowerOf2((uint)((2 * n) - 1));
        _inner = new FftPlan(m, inverse: false);
        _chirpRe = new double[n];
        _chirpIm = new double[n];
        long period = 2L * n;
        for (int t = 0; t < n; t++)
        {
            // t^2 mod 2n keeps the angle small (exp(s*pi*i*t^2/n) has period 2n in t^2), so large n stay accurate.
            long square = (long)t * t % period;
            (double s, double c) = Math.SinCos(Math.PI * square / n);
            _chirpRe[t] = c;
            _chirpIm[t] = sign * s;
        }

        _kernelRe = new double[m];
        _kernelIm = new double[m];
        _kernelRe[0] = _chirpRe[0];
        _kernelIm[0] = -_chirpIm[0];
        for (int t = 1; t < n; t++)
        {
            _kernelRe[t] = _kernelRe[m - t] = _chirpRe[t];
            _kernelIm[t] = _kernelIm[m - t] = -_chirpIm[t];
        }

        _inner.Transform(_kernelRe, _kernelIm, []);
    }

    public int Length => _n;

    /// <summary>Doubles of scratch <see cref="Transform"/> needs (0 for power-of-two lengths).</summary>
    public int ScratchLength => _inner is null ? 0 : 2 * _inner.Length;

    /// <summary>Transforms (re, im), each of length n, in place.</summary>
    public void Transform(Span<double> re, Span<double> im, Span<double> scratch)
    {
        if (_inner is null)
        {
            Radix2(re, im);
        }
        else
        {
            Bluestein(re, im, scratch);
        }
    }

    private void Radix2(Span<double> re, Span<double> im)
    {
        int n = _n;
        var bitReverse = _bitReverse!;
        for (int i = 0; i < n; i++)
        {
            int j = bitReverse[i];
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        var cos = _cos!;
        var sin = _sin!;
        for (int len = 2; len <= n; len <<= 1)
        {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len)
            {
                for (int k = 0; k < half; k++)
                {
                    // Butterfly: (a, b) -> (a + w b, a - w b) with w = exp(s * 2*pi*i * k / len).
                    double wr = cos[k * step];
                    double wi = sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double tr = (re[b] * wr) - (im[b] * wi);
                    double ti = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }

    private void Bluestein(Span<double> re, Span<double> im, Span<double> scratch)
    {
        int n = _n;
        int m = _inner!.Length;
        var ar = scratch[..m];
        var ai = scratch.Slice(m, m);
        var chirpRe = _chirpRe!;
        var chirpIm = _chirpIm!;
        for (int t = 0; t < n; t++)
        {
            ar[t] = (re[t] * chirpRe[t]) - (im[t] * chirpIm[t]);
            ai[t] = (re[t] * chirpIm[t]) + (im[t] * chirpRe[t]);
        }

        ar[n..].Clear();
        ai[n..].Clear();
        _inner.Transform(ar, ai, []);

        // Pointwise product with the kernel's spectrum, conjugated so that the forward plan computes the
        // inverse transform: ifft(y) = conj(fft(conj(y))) / M.
        var kr = _kernelRe!;
        var ki = _kernelIm!;
        for (int j = 0; j < m; j++)
        {
            double pr = (ar[j] * kr[j]) - (ai[j] * ki[j]);
            double pi = (ar[j] * ki[j]) + (ai[j] * kr[j]);
            ar[j] = pr;
            ai[j] = -pi;
        }

        _inner.Transform(ar, ai, []);
        double scale = 1.0 / m;
        for (int k = 0; k < n; k++)
        {
            double cr = ar[k] * scale;
            double ci = -ai[k] * scale;
            re[k] = (cr * chirpRe[k]) - (ci * chirpIm[k]);
            im[k] = (cr * chirpIm[k]) + (ci * chirpRe[k]);
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
