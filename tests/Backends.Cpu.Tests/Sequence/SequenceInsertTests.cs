using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Sequence.SequenceTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Sequence;

[OpTest("SequenceInsert")]
public sealed class SequenceInsertTests
{
    private static readonly Tensor<long> s_item = Tensor.Create(new long[] { 10, 11, 12 }, 3);

    [Fact]
    public void InsertsAtBackByDefault()
    {
        var input = ThreeInt64();
        var result = Run(input, null);
        Assert.Equal([[1, 2, 3, 4], [5, 6, 7], [8, 9], [10, 11, 12]], Values(result));
        Assert.Equal(3, input.Items.Count); // the input sequence is not modified
    }

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(1L, 1)]
    [InlineData(3L, 3)]
    [InlineData(-1L, 2)]
    [InlineData(-3L, 0)]
    public void InsertsAtPosition(long position, int expectedIndex)
    {
        var result = Run(ThreeInt64(), Tensor.Scalar(position));
        Assert.Equal(4, result.Items.Count);
        Assert.Equal(s_item.ToArray(), result.Items[expectedIndex].ToInt64Array());
    }

    [Fact]
    public void PositionOutOfRangeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(ThreeInt64(), Tensor.Scalar(4L)));
        Assert.Contains("position 4 is out of range [-3, 3]", ex.Message);
    }

    [Fact]
    public void WrongElementTypeIsAnError()
    {
        var g = new GraphBuilder().Input("s", SeqOf(DataType.Int64)).Input("t", DataType.Float32, 1)
            .Node("SequenceInsert", ["s", "t"], ["o"]).Output("o");
        var ex = Assert.ThrowsAny<AutoGlmException>(() => g.RunSingle(11, ("s", ThreeInt64()), ("t", new Tensor<float>([1]))));
        Assert.Contains("float32", ex.Message);
    }

    private static TensorSequence Run(TensorSequence input, Tensor? position)
    {
        var g = new GraphBuilder().Input("s", SeqOf(DataType.Int64)).Input("t", DataType.Int64, 3);
        var feeds = new List<(string, DataValue)> { ("s", input), ("t", s_item) };
        if (position is not null)
        {
            g.Input("p", DataType.Int64);
            feeds.Add(("p", position));
        }

        g.Node("SequenceInsert", position is null ? ["s", "t"] : ["s", "t", "p"], ["o"]).Output("o");
        return (TensorSequence)g.RunSingle(11, feeds.ToArray());
    }
}
