using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Shrink")]
public sealed class ShrinkTests
{
    [Theory]
    [InlineData(0.5f, 0f)]
    [InlineData(1.5f, 1.5f)]
    [InlineData(0f, 0.25f)]
    public void FloatsAtEveryLength(float lambd, float bias)
    {
        foreach (int n in Lengths)
        {
            var x = Floats([n], n, -3, 3);
            var expected = Map(x, v => v < -lambd ? v + bias : v > lambd ? v - bias : 0f);
            var r = new OpTester("Shrink").Attr("lambd", lambd).Attr("bias", bias).Input(x).RunSingle();
            TensorAssert.Close(expected, r, rtol: 1e-6, atol: 1e-7);
        }
    }

    [Fact]
    public void DefaultsAreLambdHalfBiasZero()
    {
        var x = Tensor.Create(new[] { -1f, -0.5f, 0.2f, 0.6f }, 4);
        TensorAssert.Close([-1f, 0f, 0f, 0.6f], [4], new OpTester("Shrink").Input(x).RunSingle());
    }

    [Fact]
    public void IntegersComputeInFloatAndTruncate()
    {
        var x = Tensor.Create(new[] { -3, -1, 0, 1, 3 }, 5);
        var r = new OpTester("Shrink").Attr("lambd", 1.5f).Attr("bias", 0.5f).Input(x).RunSingle();
        Assert.Equal(new long[] { -2, 0, 0, 0, 2 }, r.ToInt64Array());
    }

    [Fact]
    public void BoolInputIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Shrink").Input(Tensor.Create(new[] { true }, 1)).RunSingle());
        Assert.Contains("bool", ex.Message);
    }
}
