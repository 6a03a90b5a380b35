using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// SiLU, y = x / (1 + e^-x), in place over a span with AVX-512, two vectors at a time with their operations interleaved.
/// <para>
/// e^-x = 2^t, t = -x log2 e with x clamped to [-87.3, 104] (t within [-150, 126], so 1 + 2^t stays finite);
/// 2^t = 2^n 2^f with n = round(t) and f = t - n in [-1/2, 1/2] (log2 e split in two floats so f is exact to a few ulps);
/// 2^f is a degree-5 polynomial (relative error 1.5e-7 on [-1/2, 1/2]); scalef applies 2^n; the reciprocal is the 14-bit
/// estimate and one Newton step. Relative error of y below 1.2e-6 everywhere, a few 1e-7 for |x| &lt; 20.
/// </para>
/// <para>
/// The chain of one vector is about 60 cycles of dependent operations; written one vector after the other the core
/// does not look far enough ahead to overlap them, so the loop ran at 0.22 ns per element. Two vectors interleaved in
/// program order run at 0.15 ns (one core, 16-float vectors).
/// </para>
/// </summary>
internal static class SiLUVector
{
    private const float ClampLow = -87.3f;
    private const float ClampHigh = 104f;
    private const float MinusLog2E = -1.44269504088896341f;
    private const float MinusLog2EHi = -1.442626953125f;
    private const float MinusLog2ELo = MinusLog2E - MinusLog2EHi;
    private const float C5 = 0.0013276466634124517f;
    private const float C4 = 0.009675540961325169f;
    private const float C3 = 0.05550713464617729f;
    private const float C2 = 0.24022120237350464f;
    private const float C1 = 0.6931469440460205f;
    private const float C0 = 1.0000001192092896f;

    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated && UnaryDriver.AllowVectors;

    /// <summary>y = SiLU(y); call only when <see cref="IsSupported"/>.</summary>
    public static unsafe void Apply(Span<float> y)
    {
        fixed (float* p = y)
        {
            int n = y.Length;
            int i = 0;
            for (; i + 32 <= n; i += 32)
            {
                var a = Vector512.Load(p + i);
                var b = Vector512.Load(p + i + 16);
                Two(ref a, ref b);
                Vector512.Store(a, p + i);
                Vector512.Store(b, p + i + 16);
            }

            if (i + 16 <= n)
            {
                var a = Vector512.Load(p + i);
                var b = a;
                Two(ref a, ref b);
                Vector512.Store(a, p + i);
                i += 16;
            }

            for (; i < n; i++)
            {
                p[i] /= 1f + MathF.Exp(-p[i]);
            }
        }
    }

    /// <summary>SiLU of two vectors, each step written for both so their dependency chains overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Two(ref Vector512<float> xa, ref Vector512<float> xb)
    {
        var lo = Vector512.Create(ClampLow);
        var hi = Vector512.Create(ClampHigh);
        var ca = Vector512.MaxNative(Vector512.MinNative(xa, hi), lo);
        var cb = Vector512.MaxNative(Vector512.MinNative(xb, hi), lo);
        var l2 = Vector512.Create(MinusLog2E);
        var na = Avx512F.RoundScale(ca * l2, 0);
        var nb = Avx512F.RoundScale(cb * l2, 0);
        var h = Vector512.Create(MinusLog2EHi);
        var fa = Vector512.FusedMultiplyAdd(ca, h, -na);
        var fb = Vector512.FusedMultiplyAdd(cb, h, -nb);
        var g = Vector512.Create(MinusLog2ELo);
        fa = Vector512.FusedMultiplyAdd(ca, g, fa);
        fb = Vector512.FusedMultiplyAdd(cb, g, fb);
        var c5 = Vector512.Create(C5);
        var c4 = Vector512.Create(C4);
        var pa = Vector512.FusedMultiplyAdd(c5, fa, c4);
        var pb = Vector512.FusedMultiplyAdd(c5, fb, c4);
        var c3 = Vector512.Create(C3);
        pa = Vector512.FusedMultiplyAdd(pa, fa, c3);
        pb = Vector512.FusedMultiplyAdd(pb, fb, c3);
        var c2 = Vector512.Create(C2);
        pa = Vector512.FusedMultiplyAdd(pa, fa, c2);
        pb = Vector512.FusedMultiplyAdd(pb, fb, c2);
        var c1 = Vector512.Create(C1);
        pa = Vector512.FusedMultiplyAdd(pa, fa, c1);
        pb = Vector512.FusedMultiplyAdd(pb, fb, c1);
        var c0 = Vector512.Create(C0);
        pa = Vector512.FusedMultiplyAdd(pa, fa, c0);
        pb = Vector512.FusedMultiplyAdd(pb, fb, c0);
        var da = Avx512F.Scale(pa, na) + Vector512<float>.One;
        var db = Avx512F.Scale(pb, nb) + Vector512<float>.One;
        var ra = Avx512F.Reciprocal14(da);
        var rb = Avx512F.Reciprocal14(db);
        var two = Vector512.Create(2f);
        ra *= Avx512F.FusedMultiplyAddNegated(da, ra, two);
        rb *= Avx512F.FusedMultiplyAddNegated(db, rb, two);
        xa *= ra;
        xb *= rb;
    }
}
