using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Generator;

[OpTest("Multinomial")]
public sealed class MultinomialTests
{
    [Fact]
    public void SamplesFollowSoftmaxOfLogits()
    {
        // Row 0: p = [0.2, 0.8]; row 1: class 2 dominates completely.
        var logits = Tensor.Create(new[] { MathF.Log(0.2f), MathF.Log(0.8f), float.NegativeInfinity, -1000f, -1000f, 0f }, 2, 3);
        var result = new OpTester("Multinomial", 7).Input(logits).Attr("sample_size", 4000L).Attr("seed", 2f).RunSingle();
        Assert.Equal(DataType.Int32, result.DataType);
        Assert.Equal(new[] { 2, 4000 }, result.DimsArray());
        var v = result.ToInt64Array();
        var row0 = v.Take(4000).ToArray();
        Assert.All(row0, x => Assert.InRange(x, 0, 1));
        Assert.InRange(row0.Count(x => x == 1) / 4000.0, 0.77, 0.83);
        Assert.All(v.Skip(4000), x => Assert.Equal(2, x));
    }

    [Fact]
    public void Int64Dtype()
    {
        var result = new OpTester("Multinomial", 7).Input(new Tensor<float>([3, 5])).Attr("dtype", (long)DataType.Int64).RunSingle();
        Assert.Equal(DataType.Int64, result.DataType);
        Assert.Equal(new[] { 3, 1 }, result.DimsArray());
        Assert.All(result.ToInt64Array(), x => Assert.InRange(x, 0, 4));
    }

    [Fact]
    public void NonMatrixInputIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Multinomial", 7).Input(new Tensor<float>([4])).RunSingle());
        Assert.Contains("2-D", ex.Message);
    }
}
