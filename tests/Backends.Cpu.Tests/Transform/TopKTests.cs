using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("TopK")]
public sealed class TopKTests
{
    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 3)]
    [InlineData(true, 0)]
    [InlineData(true, 40)]
    [InlineData(false, 1)]
    public void MatchesAStableSortWithTies(bool largest, int k)
    {
        // Values with many ties: equal values must come out in ascending index order.
        var rng = new Random(k);
        var x = new Tensor<float>([3, 40]);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.Next(6);
        }

        var outs = new OpTester("TopK").Input(x).Input(Longs(k)).Attr("largest", largest ? 1L : 0L).Outputs(2).Run();
        for (int row = 0; row < 3; row++)
        {
            var order = Enumerable.Range(0, 40).OrderBy(j => largest ? -x[(row * 40) + j] : x[(row * 40) + j]).Take(k).ToArray();
            Assert.Equal(order.Select(j => (long)j), outs[1].ToInt64Array().Skip(row * k).Take(k));
            Assert.Equal(order.Select(j => x[(row * 40) + j]), outs[0].AsSpan<float>().Slice(row * k, k).ToArray());
        }
    }

    [Fact]
    public void WorksOnInnerAxesAndIntegers()
    {
        var x = Tensor.Create(new long[] { 5, 1, 9, 9, 2, 3 }, 3, 2);
        var outs = new OpTester("TopK").Input(x).Input(Longs(2)).Attr("axis", 0L).Outputs(2).Run();
        Assert.Equal(new long[] { 9, 9, 5, 3 }, outs[0].ToInt64Array());
        Assert.Equal(new long[] { 1, 1, 0, 2 }, outs[1].ToInt64Array());
    }

    [Fact]
    public void NaNRanksAboveNumbers()
    {
        var outs = new OpTester("TopK").Input(Tensor.Create(new[] { 1f, float.NaN, 3f }, 3)).Input(Longs(2)).Outputs(2).Run();
        Assert.Equal(new long[] { 1, 2 }, outs[1].ToInt64Array());
    }

    [Fact]
    public void KIsAnAttributeBeforeOpset10()
    {
        var outs = new OpTester("TopK", 1).Input(Tensor.Create(new[] { (Half)1, (Half)4, (Half)2 }, 3)).Attr("k", 2L).Outputs(2).Run();
        Assert.Equal(new double[] { 4, 2 }, outs[0].ToDoubleArray());
    }

    [Fact]
    public void KLargerThanTheAxisIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("TopK").Input(Iota(3)).Input(Longs(4)).Outputs(2).Run());
        Assert.Contains("k = 4", ex.Message);
    }
}
