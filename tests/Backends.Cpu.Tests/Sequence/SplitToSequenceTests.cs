using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Sequence;

[OpTest("SplitToSequence")]
public sealed class SplitToSequenceTests
{
    // x = [[0 1 2], [3 4 5], [6 7 8], [9 10 11]]
    private static readonly Tensor<float> s_x = Tensor.Create(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 4, 3);

    [Fact]
    public void WithoutSplitKeepsDims()
    {
        var seq = Run(null, NodeAttribute.Of("axis", 1L));
        Assert.Equal(3, seq.Items.Count);
        TensorAssert.Close(new[] { 1f, 4f, 7f, 10f }, [4, 1], seq.Items[1]);
    }

    [Fact]
    public void WithoutSplitAndKeepDimsZeroSqueezes()
    {
        var seq = Run(null, NodeAttribute.Of("axis", 0L), NodeAttribute.Of("keepdims", 0L));
        Assert.Equal(4, seq.Items.Count);
        TensorAssert.Close(new[] { 9f, 10f, 11f }, [3], seq.Items[3]);
    }

    [Fact]
    public void ScalarSplitLeavesAShorterLastPiece()
    {
        var seq = Run(Tensor.Scalar(3L));
        Assert.Equal(2, seq.Items.Count);
        Assert.Equal(new[] { 3, 3 }, seq.Items[0].DimsArray());
        TensorAssert.Close(new[] { 9f, 10f, 11f }, [1, 3], seq.Items[1]);
    }

    [Fact]
    public void ListSplitAlongNegativeAxis()
    {
        var seq = Run(Tensor.Create(new[] { 1L, 2L }, 2), NodeAttribute.Of("axis", -1L));
        Assert.Equal(new[] { 4, 1 }, seq.Items[0].DimsArray());
        TensorAssert.Close(new[] { 1f, 2f, 4f, 5f, 7f, 8f, 10f, 11f }, [4, 2], seq.Items[1]);
    }

    [Fact]
    public void SplitNotSummingToDimensionIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(Tensor.Create(new[] { 1L, 2L }, 2)));
        Assert.Contains("split [1,2]", ex.Message);
    }

    private static TensorSequence Run(Tensor? split, params NodeAttribute[] attrs)
    {
        var g = new GraphBuilder().Input("x", DataType.Float32, 4, 3);
        var feeds = new List<(string, DataValue)> { ("x", s_x) };
        if (split is not null)
        {
            g.Input("split", new TensorTypeInfo(split.DataType, Shape.FromKnown(split.Dims)));
            feeds.Add(("split", split));
        }

        g.Node("SplitToSequence", split is null ? ["x"] : ["x", "split"], ["s"], attrs).Output("s");
        return (TensorSequence)g.RunSingle(11, feeds.ToArray());
    }
}
