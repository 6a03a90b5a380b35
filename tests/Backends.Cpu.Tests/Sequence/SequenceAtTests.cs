using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Sequence.SequenceTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Sequence;

[OpTest("SequenceAt")]
public sealed class SequenceAtTests
{
    [Theory]
    [InlineData(0L, new long[] { 1, 2, 3, 4 })]
    [InlineData(2L, new long[] { 8, 9 })]
    [InlineData(-1L, new long[] { 8, 9 })]
    [InlineData(-3L, new long[] { 1, 2, 3, 4 })]
    public void ReadsPosition(long position, long[] expected)
    {
        var result = (Tensor)Build().RunSingle(11, ("s", ThreeInt64()), ("p", Tensor.Scalar(position)));
        Assert.Equal(expected, result.ToInt64Array());
    }

    [Fact]
    public void Int32PositionWorks()
    {
        var g = new GraphBuilder().Input("s", SeqOf(DataType.Int64)).Input("p", DataType.Int32).Node("SequenceAt", ["s", "p"], ["o"]).Output("o");
        Assert.Equal(new long[] { 5, 6, 7 }, ((Tensor)g.RunSingle(11, ("s", ThreeInt64()), ("p", Tensor.Scalar(1)))).ToInt64Array());
    }

    [Fact]
    public void OutOfRangeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Build().RunSingle(11, ("s", ThreeInt64()), ("p", Tensor.Scalar(3L))));
        Assert.Contains("position 3 is out of range [-3, 2]", ex.Message);
    }

    private static GraphBuilder Build() => new GraphBuilder()
        .Input("s", SeqOf(DataType.Int64)).Input("p", DataType.Int64)
        .Node("SequenceAt", ["s", "p"], ["o"]).Output("o");
}
