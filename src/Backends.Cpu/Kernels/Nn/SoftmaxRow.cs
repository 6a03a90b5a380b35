using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// One contiguous float32 softmax row in three passes: m = max(x); y = exp(x - m) with s = Σ y accumulated in the
/// same pass; y = y / s. Vector256, then Vector128 blocks, then a scalar tail (MathF.Exp), so every length takes
/// the same math as the generic TensorPrimitives row it replaces (the scalar oracle in tests).
/// </summary>
internal static class SoftmaxRow
{
    public static void Run(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length;
        if (n == 0)
        {
            return;
        }

        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        bool vectors = UnaryDriver.AllowVectors;
        float max = Max(ref xr, n, vectors);

        // Exp pass with the running sum (lanes summed in double at the end).
        int i = 0;
        double sum = 0;
        if (vectors && Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var mv = Vector256.Create(max);
            var acc = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var e = Vector256.Exp(Vector256.LoadUnsafe(ref xr, (nuint)i) - mv);
                e.StoreUnsafe(ref yr, (nuint)i);
                acc += e;
            }

            sum += Vector256.Sum(acc);
        }

        if (vectors && Vector128.IsHardwareAccelerated && n - i >= Vector128<float>.Count)
        {
            var mv = Vector128.Create(max);
            var acc = Vector128<float>.Zero;
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var e = Vector128.Exp(Vector128.LoadUnsafe(ref xr, (nuint)i) - mv);
                e.StoreUnsafe(ref yr, (nuint)i);
                acc += e;
            }

            sum += Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            float e = MathF.Exp(Unsafe.Add(ref xr, i) - max);
            Unsafe.Add(ref yr, i) = e;
            sum += e;
        }

        float s = (float)sum;
        i = 0;
        if (vectors && Vector256.IsHardwareAccelerated)
        {
            var sv = Vector256.Create(s);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref yr, (nuint)i) / sv).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) /= s;
        }
    }

    /// <summary>max over the row; NaN when any element is NaN (then the whole row is NaN, as exp(NaN) is).</summary>
    private static float Max(ref float xr, int n, bool vectors)
    {
        int i = 0;
        float max = float.NegativeInfinity;
        bool nan = false;
        if (vectors && Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var acc = Vector256.Create(float.NegativeInfinity);
            var nanLanes = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                nanLanes |= ~Vector256.Equals(v, v);
                acc = Vector256.Max(acc, v);
            }

            nan |= nanLanes != Vector256<float>.Zero;
            for (int k = 0; k < Vector256<float>.Count; k++)
            {
                max = MathF.Max(max, acc.GetElement(k));
            }
        }

        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref xr, i);
            nan |= float.IsNaN(v);
            max = MathF.Max(max, v);
        }

        return nan ? float.NaN : max;
    }
}
