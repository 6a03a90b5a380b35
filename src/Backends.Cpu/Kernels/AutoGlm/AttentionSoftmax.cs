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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Span<float> row)
    {
        int n = row.Length;
        if (n == 0)
        {
            return;
        }

        float max = TensorPrimitives.Max(row);
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
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var e = Exp(Vector512.LoadUnsafe(ref r, (nuint)i) - mv);
                e.StoreUnsafe(ref r, (nuint)i);
                acc += e;
            }

            sum += Vector512.Sum(acc);
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

        TensorPrimitives.Multiply(row, (float)(1 / sum), row);
    }

    /// <summary>exp(x) per lane: 0 below -87.3, x clamped to 88.4 above (about 2.4e38, finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        var under = Vector512.LessThan(x, Vector512.Create(ExpLow));
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(ExpLow)), Vector512.Create(ExpHigh));
        var k = Vector512.Round(x * Vector512.Create(Log2E));
        var f = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo), Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), x));
        var p = Vector512.Create(P0);
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P1));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(P5));
        p = Vector512.FusedMultiplyAdd(p, f * f, f + Vector512<float>.One);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(k) + Vector512.Create(127), 23).AsSingle();
        return Vector512.AndNot(p * scale, under.AsSingle());
    }

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp(Vector256<float> x)
    {
        var under = Vector256.LessThan(x, Vector256.Create(ExpLow));
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpLow)), Vector256.Create(ExpHigh));
        var k = Vector256.Round(x * Vector256.Create(Log2E));
        var f = x - (k * Vector256.Create(Ln2Hi)) - (k * Vector256.Create(Ln2Lo));
        var p = Vector256.Create(P0);
        p = (p * f) + Vector256.Create(P1);
        p = (p * f) + Vector256.Create(P2);
        p = (p * f) + Vector256.Create(P3);
        p = (p * f) + Vector256.Create(P4);
        p = (p * f) + Vector256.Create(P5);
        p = (p * f * f) + f + Vector256<float>.One;
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(k) + Vector256.Create(127), 23).AsSingle();
        return Vector256.AndNot(p * scale, under.AsSingle());
    }
}
