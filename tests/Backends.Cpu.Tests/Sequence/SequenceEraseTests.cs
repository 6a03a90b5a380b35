using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Sequence.SequenceTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Sequence;

[OpTest("SequenceErase")]
public sealed class SequenceEraseTests
{
    [Fact]
    public void ErasesLastByDefault()
    {
        var g = new GraphBuilder().Input("s", SeqOf(DataType.Int64)).Node("SequenceErase", ["s"], ["o"]).Output("o");
        var input = ThreeInt64();
        var result = (TensorSequence)g.RunSingle(11, ("s", input));
        Assert.Equal([[1, 2, 3, 4], [5, 6, 7]], Values(result));
        Assert.Equal(3, input.Items.Count);
    }

    [Theory]
    [InlineData(0L, new long[] { 5, 8 })]
    [InlineData(1L, new long[] { 1, 8 })]
    [InlineData(-2L, new long[] { 1, 8 })]
    [InlineData(-3L, new long[] { 5, 8 })]
    public void ErasesPosition(long position, long[] firstElements)
    {
        var result = (TensorSequence)Build().RunSingle(11, ("s", ThreeInt64()), ("p", Tensor.Scalar(position)));
        Assert.Equal(firstElements, result.Items.Select(t => t.ToInt64Array()[0]).ToArray());
    }

    [Fact]
    public void EmptySequenceIsAnError()
    {
        var g = new GraphBuilder().Node("SequenceEmpty", [], ["s"]).Node("SequenceErase", ["s"], ["o"]).Output("o");
        var ex = Assert.ThrowsAny<AutoGlmException>(() => g.RunSingle(11));
        Assert.Contains("empty sequence", ex.Message);
    }

    [Fact]
    public void OutOfRangeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Build().RunSingle(11, ("s", ThreeInt64()), ("p", Tensor.Scalar(-4L))));
        Assert.Contains("position -4", ex.Message);
    }

    private static GraphBuilder Build() => new GraphBuilder()
        .Input("s", SeqOf(DataType.Int64)).Input("p", DataType.Int64)
        .Node("SequenceErase", ["s", "p"], ["o"]).Output("o");
}
