using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// GELU in place on Vector512 / Vector256 lanes, as a GEMM final op (FusedMatMul) or on its own (the Gelu op).
/// Erf form: 0.5 x (1 + erf(x / sqrt 2)) with erf as in <see cref="FloatMath"/> (Maclaurin polynomial below 0.5,
/// Abramowitz-Stegun 7.1.26 above, |error| &lt; 1.5e-7) but with <see cref="AttentionSoftmax.Exp(Vector512{float})"/>
/// and fused multiply-adds. Tanh form: 0.5 x (1 + tanh(u)) = x / (1 + exp(-2u)), u = sqrt(2 / pi) (x + 0.044715 x^3)
/// (no cancellation: the denominator is at least 1). The scalar tail and machines without those vectors compute
/// the double-precision forms of <see cref="FusedActivation"/>.
/// </summary>
internal sealed class FastGelu : GemmPostOp
{
    private const float InvSqrt2 = 0.70710678f;
    private const float TanhK = 0.7978846f;
    private const float TanhC = 0.044715f;

    private FastGelu(bool tanh)
    {
        IsTanh = tanh;
    }

    public static FastGelu ErfForm { get; } = new(false);

    public static FastGelu TanhForm { get; } = new(true);

    public bool IsTanh { get; }

    /// <summary>The post-op for a FusedMatMul / Gelu activation name, or null when it is not a GELU.</summary>
    public static FastGelu? For(string activation) => activation switch
    {
        "Gelu" => ErfForm,
        "GeluTanh" => TanhForm,
        _ => null,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(Span<float> values)
    {
        ref float r = ref MemoryMarshal.GetReference(values);
        int n = values.Length;
        int i = 0;
        if (UnaryDriver.AllowVectors && Vector512.IsHardwareAccelerated)
        {
            if (!IsTanh)
            {
                // Two vectors per step with their operations interleaved: one vector's chain of dependent operations
                // is long enough that the core does not overlap consecutive iterations (one core: 0.36 -> 0.32 ns per element).
                for (; i <= n - (2 * Vector512<float>.Count); i += 2 * Vector512<float>.Count)
                {
                    var a = Vector512.LoadUnsafe(ref r, (nuint)i);
                    var b = Vector512.LoadUnsafe(ref r, (nuint)(i + Vector512<float>.Count));
                    Erf2(ref a, ref b);
                    a.StoreUnsafe(ref r, (nuint)i);
                    b.StoreUnsafe(ref r, (nuint)(i + Vector512<float>.Count));
                }
            }

            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var x = Vector512.LoadUnsafe(ref r, (nuint)i);
                if (IsTanh)
                {
                    x = Tanh(x);
                }
                else
                {
                    var unused = x;
                    Erf2(ref x, ref unused);
                }

                x.StoreUnsafe(ref r, (nuint)i);
            }
        }

        if (UnaryDriver.AllowVectors && Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var x = Vector256.LoadUnsafe(ref r, (nuint)i);
                (IsTanh ? Tanh(x) : Erf(x)).StoreUnsafe(ref r, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            double x = Unsafe.Add(ref r, i);
            Unsafe.Add(ref r, i) = IsTanh
                ? (float)(0.5 * x * (1 + Math.Tanh(0.79788456080286536 * (x + (0.044715 * x * x * x)))))
                : (float)(0.5 * x * (1 + FloatMath.Erf(x * 0.70710678118654752)));
        }
    }

    /// <summary>
    /// The erf form on Vector512 lanes, two vectors at a time with each step written for both (a single vector passes
    /// a copy as the second): the Maclaurin polynomial below |z| = 0.5, Abramowitz-Stegun 7.1.26 above.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Erf2(ref Vector512<float> xa, ref Vector512<float> xb)
    {
        var invSqrt2 = Vector512.Create(InvSqrt2);
        var za = xa * invSqrt2;
        var zb = xb * invSqrt2;
        var aza = Vector512.Abs(za);
        var azb = Vector512.Abs(zb);
        var z2a = za * za;
        var z2b = zb * zb;
        var sa = Vector512.FusedMultiplyAdd(z2a, Vector512.Create(FloatMath.ErfC5), Vector512.Create(FloatMath.ErfC4));
        var sb = Vector512.FusedMultiplyAdd(z2b, Vector512.Create(FloatMath.ErfC5), Vector512.Create(FloatMath.ErfC4));
        var ta = Vector512<float>.One / Vector512.FusedMultiplyAdd(Vector512.Create(FloatMath.ErfP), aza, Vector512<float>.One);
        var tb = Vector512<float>.One / Vector512.FusedMultiplyAdd(Vector512.Create(FloatMath.ErfP), azb, Vector512<float>.One);
        sa = Vector512.FusedMultiplyAdd(z2a, sa, Vector512.Create(FloatMath.ErfC3));
        sb = Vector512.FusedMultiplyAdd(z2b, sb, Vector512.Create(FloatMath.ErfC3));
        var ea = AttentionSoftmax.Exp(-z2a);
        var eb = AttentionSoftmax.Exp(-z2b);
        sa = Vector512.FusedMultiplyAdd(z2a, sa, Vector512.Create(FloatMath.ErfC2));
        sb = Vector512.FusedMultiplyAdd(z2b, sb, Vector512.Create(FloatMath.ErfC2));
        var pa = Vector512.FusedMultiplyAdd(ta, Vector512.Create(FloatMath.ErfA5), Vector512.Create(FloatMath.ErfA4));
        var pb = Vector512.FusedMultiplyAdd(tb, Vector512.Create(FloatMath.ErfA5), Vector512.Create(FloatMath.ErfA4));
        sa = Vector512.FusedMultiplyAdd(z2a, sa, Vector512.Create(FloatMath.ErfC1));
        sb = Vector512.FusedMultiplyAdd(z2b, sb, Vector512.Create(FloatMath.ErfC1));
        pa = Vector512.FusedMultiplyAdd(ta, pa, Vector512.Create(FloatMath.ErfA3));
        pb = Vector512.FusedMultiplyAdd(tb, pb, Vector512.Create(FloatMath.ErfA3));
        sa = Vector512.FusedMultiplyAdd(z2a, sa, Vector512.Create(FloatMath.ErfC0));
        sb = Vector512.FusedMultiplyAdd(z2b, sb, Vector512.Create(FloatMath.ErfC0));
        pa = Vector512.FusedMultiplyAdd(ta, pa, Vector512.Create(FloatMath.ErfA2));
        pb = Vector512.FusedMultiplyAdd(tb, pb, Vector512.Create(FloatMath.ErfA2));
        pa = Vector512.FusedMultiplyAdd(ta, pa, Vector512.Create(FloatMath.ErfA1));
        pb = Vector512.FusedMultiplyAdd(tb, pb, Vector512.Create(FloatMath.ErfA1));
        var smallA = za * sa;
        var smallB = zb * sb;
        var largeA = Vector512.CopySign(Vector512<float>.One - (ta * pa * ea), za);
        var largeB = Vector512.CopySign(Vector512<float>.One - (tb * pb * eb), zb);
        var half = Vector512.Create(0.5f);
        var erfA = Vector512.ConditionalSelect(Vector512.LessThan(aza, half), smallA, largeA);
        var erfB = Vector512.ConditionalSelect(Vector512.LessThan(azb, half), smallB, largeB);
        xa = half * xa * (Vector512<float>.One + erfA);
        xb = half * xb * (Vector512<float>.One + erfB);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Erf(Vector256<float> x)
    {
        var z = x * Vector256.Create(InvSqrt2);
        var az = Vector256.Abs(z);
        var z2 = z * z;
        var s = (z2 * Vector256.Create(FloatMath.ErfC5)) + Vector256.Create(FloatMath.ErfC4);
        s = (z2 * s) + Vector256.Create(FloatMath.ErfC3);
        s = (z2 * s) + Vector256.Create(FloatMath.ErfC2);
        s = (z2 * s) + Vector256.Create(FloatMath.ErfC1);
        s = (z2 * s) + Vector256.Create(FloatMath.ErfC0);
        var small = z * s;
        var t = Vector256<float>.One / ((Vector256.Create(FloatMath.ErfP) * az) + Vector256<float>.One);
        var p = (t * Vector256.Create(FloatMath.ErfA5)) + Vector256.Create(FloatMath.ErfA4);
        p = (t * p) + Vector256.Create(FloatMath.ErfA3);
        p = (t * p) + Vector256.Create(FloatMath.ErfA2);
        p = (t * p) + Vector256.Create(FloatMath.ErfA1);
        var large = Vector256.CopySign(Vector256<float>.One - (t * p * AttentionSoftmax.Exp(-z2)), z);
        var erf = Vector256.ConditionalSelect(Vector256.LessThan(az, Vector256.Create(0.5f)), small, large);
        return Vector256.Create(0.5f) * x * (Vector256<float>.One + erf);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tanh(Vector512<float> x)
    {
        var u = Vector512.Create(TanhK) * Vector512.FusedMultiplyAdd(Vector512.Create(TanhC) * x, x * x, x);
        return x / (Vector512<float>.One + AttentionSoftmax.Exp(u * Vector512.Create(-2f)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Tanh(Vector256<float> x)
    {
        var u = Vector256.Create(TanhK) * ((Vector256.Create(TanhC) * x * x * x) + x);
        return x / (Vector256<float>.One + AttentionSoftmax.Exp(u * Vector256.Create(-2f)));
    }
}
