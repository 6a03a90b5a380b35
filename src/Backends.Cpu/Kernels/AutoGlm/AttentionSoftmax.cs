using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// The softmax of one attention score row, in place: m = max(row); row = exp(row - m) with the sum accumulated in
/// the same pass; row /= sum. A row whose every score is -inf becomes zeros; a row with a NaN takes
/// <see cref="SoftmaxRow"/> (NaN everywhere). The exponential is Cephes' expf (range reduction by ln 2 split in two
/// parts, degree-6 polynomial, 2^n through the exponent bits; relative error about 1e-7) on Vector512 or Vector256
/// lanes, exactly 0 below -87.3 (where expf underflows); the scalar tail uses MathF.Exp.
/// </summary>
internal static class AttentionSoftmax
{
    private const float ExpLow = -87.33654f;
    private const float ExpHigh = 88.37626f;
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f;
    private const float P1 = 1.3981999507e-3f;
    private const float P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f;
    private const float P4 = 1.6666665459e-1f;
    private const float P5 = 5.0000001201e-1f;

    /// <inheritdoc cref="Run(Span{float}, ReadOnlySpan{float})"/>
    public static void Run(Span<float> row) => Run(row, default);

    /// <summary>
    /// row = softmax(row + mask) in place (<paramref name="mask"/> empty: no mask; else as long as the row). With
    /// 512-bit vectors the mask add and the maximum are one pass (two maxima in flight, reduced by halving in
    /// registers), the exponentials two vectors per step and the final scaling a plain vector loop; a BERT score row
    /// is 128 floats, where the per-row library calls (add, max, multiply) weighed. The Attention op, in-process
    /// alternation against the library add and max: BERT-base b1 one thread 5.24 -> 4.98 ms per run, b8 two threads
    /// 28.7 -> 25.3 ms.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Span<float> row, ReadOnlySpan<float> mask)
    {
        int n = row.Length;
        if (n == 0)
        {
            return;
        }

        bool wide = Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count && UnaryDriver.AllowVectors;
        float max;
        if (wide)
        {
            max = AddAndMax(row, mask);
        }
        else
        {
            if (!mask.IsEmpty)
            {
                TensorPrimitives.Add(row, mask, row);
            }

            max = TensorPrimitives.Max(row);
        }

        if (float.IsNegativeInfinity(max))
        {
            row.Clear();
            return;
        }

        if (float.IsNaN(max) || !UnaryDriver.AllowVectors)
        {
            SoftmaxRow.Run(row, row);
            return;
        }

        ref float r = ref MemoryMarshal.GetReference(row);
        int i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var mv = Vector512.Create(max);
            var acc = Vector512<float>.Zero;
            var acc2 = Vector512<float>.Zero;

            // Two vectors per step: one exp chain (~25 dependent operations) per step left the core waiting (the
            // SiLU epilogue's finding, docs/cpu-kernels.md).
            for (; i <= n - (2 * Vector512<float>.Count); i += 2 * Vector512<float>.Count)
            {
                var e = Exp(Vector512.LoadUnsafe(ref r, (nuint)i) - mv);
                var e2 = Exp(Vector512.LoadUnsafe(ref r, (nuint)(i + Vector512<float>.Count)) - mv);
                e.StoreUnsafe(ref r, (nuint)i);
                e2.StoreUnsafe(ref r, (nuint)(i + Vector512<float>.Count));
                acc += e;
                acc2 += e2;
            }

            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var e = Exp(Vector512.LoadUnsafe(ref r, (nuint)i) - mv);
                e.StoreUnsafe(ref r, (nuint)i);
                acc += e;
            }

            sum += Vector512.Sum(acc + acc2);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<float>.Count)
        {
            var mv = Vector256.Create(max);
            var acc = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var e = Exp(Vector256.LoadUnsafe(ref r, (nuint)i) - mv);
                e.StoreUnsafe(ref r, (nuint)i);
                acc += e;
            }

            sum += Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            float e = MathF.Exp(Unsafe.Add(ref r, i) - max);
            Unsafe.Add(ref r, i) = e;
            sum += e;
        }

        float inv = (float)(1 / sum);
        if (wide)
        {
            var iv = Vector512.Create(inv);
            int j = 0;
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref r, (nuint)j) * iv).StoreUnsafe(ref r, (nuint)j);
            }

            for (; j < n; j++)
            {
                Unsafe.Add(ref r, j) *= inv;
            }
        }
        else
        {
            TensorPrimitives.Multiply(row, inv, row);
        }
    }

    /// <summary>row += mask (when given), returning the maximum (NaN when any element is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float AddAndMax(Span<float> row, ReadOnlySpan<float> mask)
    {
        int n = row.Length;
        ref float r = ref MemoryMarshal.GetReference(row);
        ref float m = ref MemoryMarshal.GetReference(mask);
        bool masked = !mask.IsEmpty;
        var mx = Vector512.Create(float.NegativeInfinity);
        var mx2 = mx;
        int i = 0;

        // Two maxima in flight: the IEEE maximum is three dependent instructions per vector.
        for (; i <= n - (2 * Vector512<float>.Count); i += 2 * Vector512<float>.Count)
        {
            var v = Vector512.LoadUnsafe(ref r, (nuint)i);
            var v2 = Vector512.LoadUnsafe(ref r, (nuint)(i + Vector512<float>.Count));
            if (masked)
            {
                v += Vector512.LoadUnsafe(ref m, (nuint)i);
                v2 += Vector512.LoadUnsafe(ref m, (nuint)(i + Vector512<float>.Count));
                v.StoreUnsafe(ref r, (nuint)i);
                v2.StoreUnsafe(ref r, (nuint)(i + Vector512<float>.Count));
            }

            mx = Vector512.Max(mx, v);
            mx2 = Vector512.Max(mx2, v2);
        }

        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var v = Vector512.LoadUnsafe(ref r, (nuint)i);
            if (masked)
            {
                v += Vector512.LoadUnsafe(ref m, (nuint)i);
                v.StoreUnsafe(ref r, (nuint)i);
            }

            mx = Vector512.Max(mx, v);
        }

        // Halving in registers (a lane-by-lane GetElement loop spilled the vector to the stack at every lane).
        mx = Vector512.Max(mx, mx2);
        var m256 = Vector256.Max(mx.GetLower(), mx.GetUpper());
        var m128 = Vector128.Max(m256.GetLower(), m256.GetUpper());
        float max = MathF.Max(MathF.Max(m128.GetElement(0), m128.GetElement(1)), MathF.Max(m128.GetElement(2), m128.GetElement(3)));
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref r, i);
            if (masked)
            {
                v += Unsafe.Add(ref m, i);
                Unsafe.Add(ref r, i) = v;
            }

            max = MathF.Max(max, v);
        }

        return max;
    }

    /// <summary>exp(x) per lane: 0 below -87.3, x clamped to 88.4 above (about 2.4e38, finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        var under = Vector512.LessThan(x, Vector512.Create(ExpLow));
        x = GemmVector512.Clamp(x, Vector512.Create(ExpLow), Vector512.Create(ExpHigh));
        var k = Vector512.Round(x * Vector512.Create(Log2E));
        var f = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo), Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), x));
        var p = Vector512.Create(P0);
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P1));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P5));
        p = Vector512.FusedMultiplyAdd(p, f * f, f + Vector512<float>.One);
        // k is integral and within [-126, 128]: the plain conversion (vcvtps2dq) is exact; Vector512.ConvertToInt32
        // saturates out-of-range lanes with three more instructions.
        var ki = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector512Int32(k) : Vector512.ConvertToInt32(k);
        var scale = Vector512.ShiftLeft(ki + Vector512.Create(127), 23).AsSingle();
        return Vector512.AndNot(p * scale, under.AsSingle());
    }

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp(Vector256<float> x)
    {
        var under = Vector256.LessThan(x, Vector256.Create(ExpLow));
        x = GemmVector256.Clamp(x, Vector256.Create(ExpLow), Vector256.Create(ExpHigh));
        var k = Vector256.Round(x * Vector256.Create(Log2E));
        var f = x - (k * Vector256.Create(Ln2Hi)) - (k * Vector256.Create(Ln2Lo));
        var p = Vector256.Create(P0);
        p = (p * f) + Vector256.Create(P1);
        p = (p * f) + Vector256.Create(P2);
        p = (p * f) + Vector256.Create(P3);
        p = (p * f) + Vector256.Create(P4);
        p = (p * f) + Vector256.Create(P5);
        p = (p * f * f) + f + Vector256<float>.One;
        var ki = System.Runtime.Intrinsics.X86.Avx.IsSupported ? System.Runtime.Intrinsics.X86.Avx.ConvertToVector256Int32(k) : Vector256.ConvertToInt32(k);
        var scale = Vector256.ShiftLeft(ki + Vector256.Create(127), 23).AsSingle();
        return Vector256.AndNot(p * scale, under.AsSingle());
    }
}
