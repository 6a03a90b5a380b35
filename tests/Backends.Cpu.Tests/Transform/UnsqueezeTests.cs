using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Unsqueeze")]
public sealed class UnsqueezeTests
{
    [Theory]
    [InlineData(new long[] { 0 }, new[] { 1, 3, 4 })]
    [InlineData(new long[] { 2 }, new[] { 3, 4, 1 })]
    [InlineData(new long[] { -1 }, new[] { 3, 4, 1 })]
    [InlineData(new long[] { 4, 0 }, new[] { 1, 3, 4, 1, 1 }, new long[] { 3 })]
    [InlineData(new long[] { 1, 3 }, new[] { 3, 1, 4, 1 })]
    public void InsertsAxesAtOutputPositions(long[] axes, int[] expected, long[]? extra = null)
    {
        long[] all = extra is null ? axes : [.. axes, .. extra];
        var x = Iota(3, 4);
        var y = new OpTester("Unsqueeze").Input(x).Input(Longs(all)).RunSingle();
        Assert.Equal(expected, y.DimsArray());
        Assert.Equal(x.ToArray(), y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void ScalarBecomesOneElementVector()
    {
        var y = new OpTester("Unsqueeze").Input(Tensor.Scalar(5L)).Input(Longs(0)).RunSingle();
        Assert.Equal([1], y.DimsArray());
        Assert.Equal(5L, y.ToInt64Array()[0]);
    }

    [Fact]
    public void AxesAreAnAttributeBeforeOpset13()
    {
        var y = new OpTester("Unsqueeze", 11).Input(Iota(3)).Attr("axes", new long[] { 1 }).RunSingle();
        Assert.Equal([3, 1], y.DimsArray());
    }

    [Fact]
    public void DuplicateAxesAreRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Unsqueeze").Input(Iota(3)).Input(Longs(0, -3)).RunSingle());
        Assert.Contains("more than once", ex.Message);
    }
}
