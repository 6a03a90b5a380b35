using System.Runtime.Intrinsics.X86;
using OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>The interleaved AVX-512 SiLU of the fused-activation epilogue against x / (1 + e^-x) in float64.</summary>
public sealed class SiLUVectorTests
{
    [AvxFact]
    public void MatchesFloat64WithinTwoMillionths()
    {
        var xs = new List<float>();
        for (float v = -120f; v < 120f; v += 0.00113f)
        {
            xs.Add(v);
        }

        var y = xs.ToArray();
        SiLUVector.Apply(y);
        double worst = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double x = xs[i], want = x / (1 + Math.Exp(-x));
            double err = Math.Abs(y[i] - want);
            Assert.True(err <= (2e-6 * Math.Abs(want)) + 1e-35, $"SiLU({x:R}) = {y[i]:R}, want {want:R}");
            if (Math.Abs(x) < 20 && want != 0)
            {
                worst = Math.Max(worst, err / Math.Abs(want));
            }
        }

        Assert.True(worst < 5e-7, $"relative error {worst:E2} on |x| < 20");
    }

    [AvxFact]
    public void SpecialValues()
    {
        float[] y = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e30f, -1e30f, float.MaxValue, float.MinValue, 1e-40f];
        SiLUVector.Apply(y);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(float.PositiveInfinity, y[1]);
        Assert.True(float.IsNegativeInfinity(y[2]) || float.IsNaN(y[2]), $"SiLU(-inf) = {y[2]}");
        Assert.Equal(0f, y[3]);
        Assert.Equal(0f, y[4]);
        Assert.Equal(1e30f, y[5]);
        Assert.True(y[6] <= 0 && y[6] > -1e-20f, $"SiLU(-1e30) = {y[6]}");
        Assert.Equal(float.MaxValue, y[7]);
        Assert.True(y[8] <= 0 && y[8] > -1e-20f, $"SiLU(min float) = {y[8]}");
        Assert.Equal(0.5e-40f, y[9], 1e-45f);
    }

    /// <summary>Every length through the two-vector, one-vector and scalar tails.</summary>
    [AvxFact]
    public void EveryLengthUpTo70()
    {
        for (int n = 0; n <= 70; n++)
        {
            var y = Enumerable.Range(0, n).Select(i => (i * 0.37f) - 9f).ToArray();
            var x = (float[])y.Clone();
            SiLUVector.Apply(y);
            for (int i = 0; i < n; i++)
            {
                double want = x[i] / (1 + Math.Exp(-(double)x[i]));
                Assert.True(Math.Abs(y[i] - want) <= (2e-6 * Math.Abs(want)) + 1e-30, $"length {n}, element {i}: {y[i]:R} vs {want:R}");
            }
        }
    }
}

/// <summary>A fact skipped, with the reason shown, where AVX-512 (the only ISA <see cref="SiLUVector"/> runs on) is absent.</summary>
public sealed class AvxFactAttribute : FactAttribute
{
    public AvxFactAttribute()
    {
        if (!SiLUVector.IsSupported)
        {
            Skip = Avx512F.IsSupported ? "vectors are disabled in this process" : "this CPU has no AVX-512 (the fused SiLU takes the portable path there)";
        }
    }
}
