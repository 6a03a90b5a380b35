using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Abs")]
[OpTest("Neg")]
[OpTest("Sign")]
[OpTest("Reciprocal")]
[OpTest("Sqrt")]
[OpTest("Exp")]
[OpTest("Log")]
[OpTest("Ceil")]
[OpTest("Floor")]
[OpTest("Round")]
[OpTest("Erf")]
[OpTest("Sin")]
[OpTest("Cos")]
[OpTest("Tan")]
[OpTest("Asin")]
[OpTest("Acos")]
[OpTest("Atan")]
[OpTest("Sinh")]
[OpTest("Cosh")]
[OpTest("Asinh")]
[OpTest("Acosh")]
[OpTest("Atanh")]
public sealed class UnaryMathTests
{
    // Op, double-precision oracle, input range. Erf's oracle is a series unrelated to the kernel's formulas.
    public static TheoryData<string, Func<double, double>, double, double> Ops => new()
    {
        { "Abs", Math.Abs, -10, 10 },
        { "Neg", x => -x, -10, 10 },
        { "Sign", x => Math.Sign(x), -3, 3 },
        { "Reciprocal", x => 1 / x, 0.1, 10 },
        { "Sqrt", Math.Sqrt, 0, 100 },
        { "Exp", Math.Exp, -80, 80 },
        { "Log", Math.Log, 1e-6, 1e6 },
        { "Ceil", Math.Ceiling, -100, 100 },
        { "Floor", Math.Floor, -100, 100 },
        { "Round", x => Math.Round(x, MidpointRounding.ToEven), -100, 100 },
        { "Erf", ErfSeries, -4, 4 },
        { "Sin", Math.Sin, -10, 10 },
        { "Cos", Math.Cos, -10, 10 },
        { "Tan", Math.Tan, -1.4, 1.4 },
        { "Asin", Math.Asin, -1, 1 },
        { "Acos", Math.Acos, -1, 1 },
        { "Atan", Math.Atan, -20, 20 },
        { "Sinh", Math.Sinh, -10, 10 },
        { "Cosh", Math.Cosh, -10, 10 },
        { "Asinh", Math.Asinh, -20, 20 },
        { "Acosh", Math.Acosh, 1, 20 },
        { "Atanh", Math.Atanh, -0.99, 0.99 },
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void Float32MatchesDoubleOracleAtEveryLength(string op, Func<double, double> oracle, double lo, double hi)
    {
        foreach (int n in Lengths)
        {
            var x = Floats([n], n + 1, lo, hi);
            var expected = Map(x, v => (float)oracle(v));
            TensorAssert.Close(expected, new OpTester(op).Input(x).RunSingle(), rtol: 1e-5, atol: 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void Float64MatchesDoubleOracle(string op, Func<double, double> oracle, double lo, double hi)
    {
        var x = Doubles([3, 11], 7, lo, hi);
        TensorAssert.Close(Map(x, oracle), new OpTester(op).Input(x).RunSingle(), rtol: 1e-12, atol: 1e-14);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void Float16ComputesThroughFloat32(string op, Func<double, double> oracle, double lo, double hi)
    {
        // Keep results inside float16's range (max 65504).
        double clampedLo = op is "Exp" or "Sinh" or "Cosh" ? Math.Max(lo, -9) : lo;
        double clampedHi = op is "Exp" or "Sinh" or "Cosh" ? Math.Min(hi, 9) : hi;
        var x = Map(Floats([2, 9], 3, clampedLo, clampedHi), v => (Half)v);
        var expected = Map(x, v => (Half)oracle((double)v));
        TensorAssert.Close(expected, new OpTester(op).Input(x).RunSingle(), rtol: 2e-3, atol: 1e-3);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(13)]
    public void WorksAtEveryOpsetVersion(long opset)
    {
        var x = Tensor.Create(new[] { -1.5f, 0f, 2.25f }, 3);
        TensorAssert.Close([1.5f, 0f, 2.25f], [3], new OpTester("Abs", opset).Input(x).RunSingle());
        TensorAssert.Close([-2f, 0f, 2f], [3], new OpTester("Floor", opset).Input(x).RunSingle());
        TensorAssert.Close([1.5f, -0f, -2.25f], [3], new OpTester("Neg", opset).Input(x).RunSingle());
    }

    [Fact]
    public void RoundsHalvesToEven()
    {
        var x = Tensor.Create(new[] { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4f, 2.6f, -3.5f }, 9);
        TensorAssert.Close([-2f, -2f, -0f, 0f, 2f, 2f, 2f, 3f, -4f], [9], new OpTester("Round").Input(x).RunSingle());
    }

    [Fact]
    public void SpecialValuesFollowIeee()
    {
        var x = Tensor.Create(new[] { float.NaN, 0f, -1f, float.PositiveInfinity }, 4);
        var sqrt = new OpTester("Sqrt").Input(x).RunSingle().ToDoubleArray();
        Assert.True(double.IsNaN(sqrt[0]) && sqrt[1] == 0 && double.IsNaN(sqrt[2]) && double.IsPositiveInfinity(sqrt[3]));
        var log = new OpTester("Log").Input(x).RunSingle().ToDoubleArray();
        Assert.True(double.IsNegativeInfinity(log[1]) && double.IsNaN(log[2]) && double.IsPositiveInfinity(log[3]));
        var reciprocal = new OpTester("Reciprocal").Input(x).RunSingle().ToDoubleArray();
        Assert.True(double.IsPositiveInfinity(reciprocal[1]) && reciprocal[3] == 0);
        var sign = new OpTester("Sign").Input(x).RunSingle().ToDoubleArray();
        Assert.True(double.IsNaN(sign[0]) && sign[1] == 0 && sign[2] == -1 && sign[3] == 1);
        var erf = new OpTester("Erf").Input(x).RunSingle().ToDoubleArray();
        Assert.True(double.IsNaN(erf[0]) && erf[1] == 0 && Math.Abs(erf[2] + 0.8427007929) < 1e-6 && erf[3] == 1);
    }

    [Fact]
    public void AbsNegSignWorkOnIntegers()
    {
        var x = Tensor.Create(new sbyte[] { sbyte.MinValue, -3, 0, 5, sbyte.MaxValue }, 5);
        Assert.Equal(new sbyte[] { sbyte.MinValue, 3, 0, 5, sbyte.MaxValue }, ((Tensor<sbyte>)new OpTester("Abs").Input(x).RunSingle()).ToArray());
        Assert.Equal(new sbyte[] { sbyte.MinValue, 3, 0, -5, -sbyte.MaxValue }, ((Tensor<sbyte>)new OpTester("Neg").Input(x).RunSingle()).ToArray());
        Assert.Equal(new sbyte[] { -1, -1, 0, 1, 1 }, ((Tensor<sbyte>)new OpTester("Sign").Input(x).RunSingle()).ToArray());

        var l = Tensor.Create(new long[] { long.MinValue + 1, -7, 0, 9 }, 4);
        Assert.Equal(new long[] { long.MaxValue, 7, 0, 9 }, new OpTester("Abs").Input(l).RunSingle().ToInt64Array());
        Assert.Equal(new long[] { -1, -1, 0, 1 }, new OpTester("Sign").Input(l).RunSingle().ToInt64Array());

        var u = Tensor.Create(new uint[] { 0, 4, uint.MaxValue }, 3);
        Assert.Equal(new uint[] { 0, 4, uint.MaxValue }, ((Tensor<uint>)new OpTester("Abs").Input(u).RunSingle()).ToArray());
        Assert.Equal(new uint[] { 0, 1, 1 }, ((Tensor<uint>)new OpTester("Sign").Input(u).RunSingle()).ToArray());
    }

    [Fact]
    public void ErfOnIntegersTruncates()
    {
        // erf(-3) = -0.99998 and erf(1) = 0.84 truncate to 0; erf(7) rounds to exactly 1 in double.
        var x = Tensor.Create(new[] { -3, 0, 1, 7 }, 4);
        Assert.Equal(new long[] { 0, 0, 0, 1 }, new OpTester("Erf").Input(x).RunSingle().ToInt64Array());
    }

    [Fact]
    public void BFloat16ComputesThroughFloat32()
    {
        var x = Map(Floats([17], 5, -4, 4), v => (BFloat16)v);
        var expected = Map(x, v => (BFloat16)Math.Exp((float)v));
        TensorAssert.Close(expected, new OpTester("Exp").Input(x).RunSingle(), rtol: 1e-2, atol: 1e-2);
    }

    [Fact]
    public void FloatOnlyOpRejectsIntegersNamingTheType()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Sqrt").Input(Tensor.Create(new[] { 4 }, 1)).RunSingle());
        Assert.Contains("Sqrt", ex.Message);
        Assert.Contains("int32", ex.Message);
    }

    private static double ErfSeries(double x)
    {
        // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)): all terms positive, no cancellation.
        double term = x;
        double sum = x;
        for (int n = 1; n < 400 && Math.Abs(term) > 1e-300; n++)
        {
            term *= 2 * x * x / ((2 * n) + 1);
            sum += term;
        }

        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }
}
