using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Scalar and vector forms of the float functions the BCL lacks (erf) or lacks in vector form (tanh, log1p).</summary>
internal static class FloatMath
{
    // Abramowitz-Stegun 7.1.26 (|x| >= 0.5) and the Maclaurin series (below): shared with the fused GELU.
    internal const float ErfP = 0.3275911f;
    internal const float ErfA1 = 0.254829592f;
    internal const float ErfA2 = -0.284496736f;
    internal const float ErfA3 = 1.421413741f;
    internal const float ErfA4 = -1.453152027f;
    internal const float ErfA5 = 1.061405429f;

    // Maclaurin coefficients of erf: 2/sqrt(pi) * (-1)^k / (k! (2k + 1)), k = 0..5.
    internal const float ErfC0 = 1.1283791671f;
    internal const float ErfC1 = -0.3761263890f;
    internal const float ErfC2 = 0.1128379167f;
    internal const float ErfC3 = -0.0268661706f;
    internal const float ErfC4 = 0.0052239776f;
    internal const float ErfC5 = -0.0008548327f;

    /// <summary>
    /// erf(x) in double: Maclaurin series for |x| &lt; 2.5 (cancellation costs under two digits there), else
    /// 1 - erfc(x) with erfc from its continued fraction exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / ...))).
    /// </summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (double.IsNaN(x))
        {
            return x;
        }

        if (ax < 2.5)
        {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 100; n++)
            {
                term *= -x2 / n;
                double add = term / ((2 * n) + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }

            return sum * 1.1283791670955126;
        }

        if (ax > 6)
        {
            return Math.CopySign(1, x);
        }

        double k = ax;
        for (int n = 80; n >= 1; n--)
        {
            k = ax + (n * 0.5 / k);
        }

        double erfc = Math.Exp(-ax * ax) / (1.7724538509055159 * k);
        return Math.CopySign(1 - erfc, x);
    }

    /// <summary>
    /// erf over 8 lanes: Maclaurin polynomial for |x| &lt; 0.5, else Abramowitz-Stegun 7.1.26
    /// (|error| &lt; 1.5e-7) 1 - t (a1 + t (a2 + ...)) exp(-x^2) with t = 1 / (1 + p |x|), sign restored.
    /// </summary>
    public static Vector256<float> Erf(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var x2 = x * x;
        var small = x * (Vector256.Create(ErfC0) + (x2 * (Vector256.Create(ErfC1) + (x2 * (Vector256.Create(ErfC2)
            + (x2 * (Vector256.Create(ErfC3) + (x2 * (Vector256.Create(ErfC4) + (x2 * Vector256.Create(ErfC5)))))))))));
        var t = Vector256<float>.One / (Vector256<float>.One + (Vector256.Create(ErfP) * ax));
        var poly = t * (Vector256.Create(ErfA1) + (t * (Vector256.Create(ErfA2) + (t * (Vector256.Create(ErfA3)
            + (t * (Vector256.Create(ErfA4) + (t * Vector256.Create(ErfA5)))))))));
        var large = Vector256.CopySign(Vector256<float>.One - (poly * Vector256.Exp(-x2)), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(0.5f)), small, large);
    }

    /// <inheritdoc cref="Erf(Vector256{float})"/>
    public static Vector128<float> Erf(Vector128<float> x)
    {
        var ax = Vector128.Abs(x);
        var x2 = x * x;
        var small = x * (Vector128.Create(ErfC0) + (x2 * (Vector128.Create(ErfC1) + (x2 * (Vector128.Create(ErfC2)
            + (x2 * (Vector128.Create(ErfC3) + (x2 * (Vector128.Create(ErfC4) + (x2 * Vector128.Create(ErfC5)))))))))));
        var t = Vector128<float>.One / (Vector128<float>.One + (Vector128.Create(ErfP) * ax));
        var poly = t * (Vector128.Create(ErfA1) + (t * (Vector128.Create(ErfA2) + (t * (Vector128.Create(ErfA3)
            + (t * (Vector128.Create(ErfA4) + (t * Vector128.Create(ErfA5)))))))));
        var large = Vector128.CopySign(Vector128<float>.One - (poly * Vector128.Exp(-x2)), x);
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(0.5f)), small, large);
    }

    /// <summary>
    /// tanh over 8 lanes: x + x^3 (-1/3 + x^2 (2/15 - 17/315 x^2)) for |x| &lt; 0.1 (where the exp form cancels),
    /// else sign(x) (1 - e) / (1 + e) with e = exp(-2|x|), which cannot overflow.
    /// </summary>
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var x2 = x * x;
        var small = x + (x * x2 * (Vector256.Create(-1f / 3) + (x2 * (Vector256.Create(2f / 15) + (x2 * Vector256.Create(-17f / 315))))));
        var e = Vector256.Exp(ax * Vector256.Create(-2f));
        var large = Vector256.CopySign((Vector256<float>.One - e) / (Vector256<float>.One + e), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(0.1f)), small, large);
    }

    /// <inheritdoc cref="Tanh(Vector256{float})"/>
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        var ax = Vector128.Abs(x);
        var x2 = x * x;
        var small = x + (x * x2 * (Vector128.Create(-1f / 3) + (x2 * (Vector128.Create(2f / 15) + (x2 * Vector128.Create(-17f / 315))))));
        var e = Vector128.Exp(ax * Vector128.Create(-2f));
        var large = Vector128.CopySign((Vector128<float>.One - e) / (Vector128<float>.One + e), x);
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(0.1f)), small, large);
    }

    /// <summary>log(1 + u) for u &gt;= 0 without losing small u: log(w) * u / (w - 1) with w = 1 + u (Goldberg), u when w rounds to 1.</summary>
    public static Vector256<float> Log1p(Vector256<float> u)
    {
        var w = Vector256<float>.One + u;
        var exact = Vector256.Log(w) * (u / (w - Vector256<float>.One));
        return Vector256.ConditionalSelect(Vector256.Equals(w, Vector256<float>.One), u, exact);
    }

    /// <inheritdoc cref="Log1p(Vector256{float})"/>
    public static Vector128<float> Log1p(Vector128<float> u)
    {
        var w = Vector128<float>.One + u;
        var exact = Vector128.Log(w) * (u / (w - Vector128<float>.One));
        return Vector128.ConditionalSelect(Vector128.Equals(w, Vector128<float>.One), u, exact);
    }

    /// <summary>log(1 + u) accurate for small u (Goldberg's correction of log(w) by u / (w - 1), w = 1 + u).</summary>
    public static double Log1p(double u)
    {
        double w = 1 + u;
        return w == 1 ? u : Math.Log(w) * (u / (w - 1));
    }

    /// <summary>Applies the scalar form lane by lane (vector form of ops marked non-vectorizable; the driver never calls it).</summary>
    public static Vector256<float> PerLane<TOp>(TOp op, Vector256<float> x)
        where TOp : struct, IVectorUnaryFunction
    {
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        x.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = op.Invoke(lanes[i]);
        }

        return Vector256.Create<float>(lanes);
    }

    /// <inheritdoc cref="PerLane{TOp}(TOp, Vector256{float})"/>
    public static Vector128<float> PerLane<TOp>(TOp op, Vector128<float> x)
        where TOp : struct, IVectorUnaryFunction
    {
        Span<float> lanes = stackalloc float[Vector128<float>.Count];
        x.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = op.Invoke(lanes[i]);
        }

        return Vector128.Create<float>(lanes);
    }
}
