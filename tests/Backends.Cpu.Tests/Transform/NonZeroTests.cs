using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("NonZero")]
public sealed class NonZeroTests
{
    [Fact]
    public void ListsCoordinatesInRowMajorOrder()
    {
        var x = Tensor.Create(new[] { 1, 0, 0, 3, 0, 7 }, 2, 3);
        var y = new OpTester("NonZero").Input(x).RunSingle();
        Assert.Equal([2, 3], y.DimsArray());
        Assert.Equal(new long[] { 0, 1, 1, 0, 0, 2 }, y.ToInt64Array());
    }

    [Fact]
    public void NegativeZeroIsZeroAndNaNIsNot()
    {
        var y = new OpTester("NonZero").Input(Tensor.Create(new[] { -0f, float.NaN, 0f, -2f }, 4)).RunSingle();
        Assert.Equal(new long[] { 1, 3 }, y.ToInt64Array());
        var h = new OpTester("NonZero").Input(Tensor.Create(new[] { (Half)(-0f), (Half)1f }, 2)).RunSingle();
        Assert.Equal(new long[] { 1 }, h.ToInt64Array());
    }

    [Fact]
    public void WorksForBoolIntegersAndStrings()
    {
        Assert.Equal(new long[] { 1 }, new OpTester("NonZero").Input(Tensor.Create(new[] { false, true }, 2)).RunSingle().ToInt64Array());
        Assert.Equal(new long[] { 0 }, new OpTester("NonZero").Input(Tensor.Create(new[] { long.MinValue, 0 }, 2)).RunSingle().ToInt64Array());
        Assert.Equal(new long[] { 1 }, new OpTester("NonZero").Input(new StringTensor(["", "x"], [2])).RunSingle().ToInt64Array());
    }

    [Fact]
    public void ScalarCountsAsRankOne()
    {
        var y = new OpTester("NonZero").Input(Tensor.Scalar(5)).RunSingle();
        Assert.Equal([1, 1], y.DimsArray());
    }

    [Fact]
    public void MissingInputIsRejected()
    {
        Assert.ThrowsAny<AutoGlmException>(() => new OpTester("NonZero").Input(null).RunSingle());
    }
}
