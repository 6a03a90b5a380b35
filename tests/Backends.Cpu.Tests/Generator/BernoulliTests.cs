using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Generator;

[OpTest("Bernoulli")]
public sealed class BernoulliTests
{
    [Fact]
    public void CertainProbabilitiesAreExact()
    {
        var p = Tensor.Create(new[] { 0f, 1f, 0f, 1f, 1f }, 5);
        var result = new OpTester("Bernoulli", 15).Input(p).RunSingle();
        TensorAssert.Close(p, result, 0, 0);
    }

    [Fact]
    public void FrequencyMatchesProbabilityAndDtype()
    {
        var p = new Tensor<double>([5000]);
        p.Span.Fill(0.3);
        var result = new OpTester("Bernoulli", 15).Input(p).Attr("dtype", (long)DataType.Bool).Attr("seed", 0f).RunSingle();
        Assert.Equal(DataType.Bool, result.DataType);
        Assert.InRange(result.ToDoubleArray().Average(), 0.27, 0.33);
    }

    [Fact]
    public void ProbabilityOutsideUnitIntervalIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Bernoulli", 15).Input(Tensor.Create(new[] { 0.5f, 1.5f }, 2)).RunSingle());
        Assert.Contains("1.5", ex.Message);
    }
}
