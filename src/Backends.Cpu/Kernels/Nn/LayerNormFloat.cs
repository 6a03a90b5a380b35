using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// The float32 rows of LayerNormalization: per row of <c>size</c> elements, mean = Σx / n, var = Σ(x - mean)² / n
/// (two passes, so no cancellation; lanes accumulate in float and are summed in double), then
/// y = (x - mean) · inv · scale + bias with inv = 1 / sqrt(var + epsilon). Rows run in parallel once a thread gets
/// at least <see cref="UnaryDriver.DefaultGrain"/> elements.
/// </summary>
internal static class LayerNormFloat
{
    public static unsafe void Run(ReadOnlySpan<float> x, Span<float> y, int outer, int size, float[] scale, float[]? bias, float epsilon, Span<double> means, Span<double> invStd, int degree)
    {
        if (outer == 0 || size == 0)
        {
            for (int o = 0; o < outer; o++)
            {
                means[o] = 0;
                invStd[o] = 1 / Math.Sqrt(epsilon);
            }

            return;
        }

        fixed (float* px = x)
        fixed (float* py = y)
        fixed (double* pm = means)
        fixed (double* pi = invStd)
        {
            var rows = new Rows(px, py, size, scale, bias, epsilon, pm, pi);
            ParallelFor.Range(outer, degree, Math.Max(1, UnaryDriver.DefaultGrain / size), rows);
        }
    }

    /// <summary>One row: statistics into means[o], invStd[o], normalized values into dst.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(ReadOnlySpan<float> src, Span<float> dst, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, float epsilon, out double mean, out double inv)
    {
        int n = src.Length;
        mean = Sum(src) / n;
        float m = (float)mean;
        double variance = SumSquaredDeviation(src, m) / n;
        inv = 1 / Math.Sqrt(variance + epsilon);
        float s = (float)inv;

        ref float xr = ref MemoryMarshal.GetReference(src);
        ref float yr = ref MemoryMarshal.GetReference(dst);
        ref float gr = ref MemoryMarshal.GetReference(scale);
        ref float br = ref MemoryMarshal.GetReference(bias);
        bool hasBias = !bias.IsEmpty;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && UnaryDriver.AllowVectors)
        {
            var mv = Vector256.Create(m);
            var sv = Vector256.Create(s);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var d = (Vector256.LoadUnsafe(ref xr, (nuint)i) - mv) * sv * Vector256.LoadUnsafe(ref gr, (nuint)i);
                if (hasBias)
                {
                    d += Vector256.LoadUnsafe(ref br, (nuint)i);
                }

                d.StoreUnsafe(ref yr, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated && UnaryDriver.AllowVectors)
        {
            var mv = Vector128.Create(m);
            var sv = Vector128.Create(s);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var d = (Vector128.LoadUnsafe(ref xr, (nuint)i) - mv) * sv * Vector128.LoadUnsafe(ref gr, (nuint)i);
                if (hasBias)
                {
                    d += Vector128.LoadUnsafe(ref br, (nuint)i);
                }

                d.StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float d = (Unsafe.Add(ref xr, i) - m) * s * Unsafe.Add(ref gr, i);
            Unsafe.Add(ref yr, i) = hasBias ? d + Unsafe.Add(ref br, i) : d;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Sum(ReadOnlySpan<float> x)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated && UnaryDriver.AllowVectors && n >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                acc += Vector256.LoadUnsafe(ref xr, (nuint)i);
            }

            total += Lanes(acc);
        }

        if (Vector128.IsHardwareAccelerated && UnaryDriver.AllowVectors && n - i >= Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                acc += Vector128.LoadUnsafe(ref xr, (nuint)i);
            }

            total += Lanes(acc);
        }

        for (; i < n; i++)
        {
            total += Unsafe.Add(ref xr, i);
        }

        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumSquaredDeviation(ReadOnlySpan<float> x, float mean)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated && UnaryDriver.AllowVectors && n >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            var mv = Vector256.Create(mean);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var d = Vector256.LoadUnsafe(ref xr, (nuint)i) - mv;
                acc += d * d;
            }

            total += Lanes(acc);
        }

        if (Vector128.IsHardwareAccelerated && UnaryDriver.AllowVectors && n - i >= Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            var mv = Vector128.Create(mean);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var d = Vector128.LoadUnsafe(ref xr, (nuint)i) - mv;
                acc += d * d;
            }

            total += Lanes(acc);
        }

        for (; i < n; i++)
        {
            double d = Unsafe.Add(ref xr, i) - mean;
            total += d * d;
        }

        return total;
    }

    private static double Lanes(Vector256<float> v)
    {
        double t = 0;
        for (int k = 0; k < Vector256<float>.Count; k++)
        {
            t += v.GetElement(k);
        }

        return t;
    }

    private static double Lanes(Vector128<float> v)
    {
        double t = 0;
        for (int k = 0; k < Vector128<float>.Count; k++)
        {
            t += v.GetElement(k);
        }

        return t;
    }

    private readonly unsafe struct Rows(float* x, float* y, int size, float[] scale, float[]? bias, float epsilon, double* means, double* invStd) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            for (int o = start; o < end; o++)
            {
                Row(new ReadOnlySpan<float>(x + ((long)o * size), size), new Span<float>(y + ((long)o * size), size), scale, bias, epsilon, out means[o], out invStd[o]);
            }
        }
    }
}
