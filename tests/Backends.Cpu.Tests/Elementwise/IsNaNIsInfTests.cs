using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("IsNaN")]
[OpTest("IsInf")]
public sealed class IsNaNIsInfTests
{
    private static readonly float[] s_values = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -1.5f, float.MaxValue];

    [Fact]
    public void IsNaNOnEveryFloatType()
    {
        bool[] expected = [true, false, false, false, false, false];
        Assert.Equal(expected, Run("IsNaN", Tensor.Create(s_values, 6)));
        Assert.Equal(expected, Run("IsNaN", Tensor.Create(s_values.Select(v => (double)v).ToArray(), 6)));
        Assert.Equal(expected.Take(5), Run("IsNaN", Tensor.Create(s_values.Take(5).Select(v => (Half)v).ToArray(), 5)));
        Assert.Equal(expected.Take(5), Run("IsNaN", Tensor.Create(s_values.Take(5).Select(v => (BFloat16)v).ToArray(), 5)));
    }

    [Theory]
    [InlineData(1L, 1L, new[] { false, true, true, false, false, false })]
    [InlineData(1L, 0L, new[] { false, true, false, false, false, false })]
    [InlineData(0L, 1L, new[] { false, false, true, false, false, false })]
    [InlineData(0L, 0L, new[] { false, false, false, false, false, false })]
    public void IsInfHonoursDirection(long positive, long negative, bool[] expected)
    {
        var tester = new OpTester("IsInf").Attr("detect_positive", positive).Attr("detect_negative", negative);
        Assert.Equal(expected, ((Tensor<bool>)tester.Input(Tensor.Create(s_values.Select(v => (double)v).ToArray(), 6)).RunSingle()).ToArray());
    }

    [Fact]
    public void IsInfDefaultsDetectBoth()
    {
        Assert.Equal(new[] { false, true, true, false, false, false }, Run("IsInf", Tensor.Create(s_values, 6)));
    }

    [Fact]
    public void IntegerInputIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run("IsNaN", Tensor.Create(new[] { 1 }, 1)));
        Assert.Contains("int32", ex.Message);
    }

    private static bool[] Run(string op, Tensor x) => ((Tensor<bool>)new OpTester(op).Input(x).RunSingle()).ToArray();
}
