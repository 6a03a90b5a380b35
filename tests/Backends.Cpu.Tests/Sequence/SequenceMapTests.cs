using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Sequence.SequenceTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Sequence;

[OpTest("SequenceMap")]
public sealed class SequenceMapTests
{
    [Fact]
    public void AddsTwoSequencesElementwise()
    {
        var body = new GraphBuilder("body").Input("a", null).Input("b", null).Node("Add", ["a", "b"], ["c"]).Output("c").Graph;
        var g = new GraphBuilder().Input("x0", SeqOf(DataType.Int64)).Input("x1", SeqOf(DataType.Int64))
            .Node("SequenceMap", ["x0", "x1"], ["y"], NodeAttribute.Of("body", body)).Output("y");
        var result = (TensorSequence)g.RunSingle(17, ("x0", ThreeInt64()), ("x1", ThreeInt64()));
        Assert.Equal([[2, 4, 6, 8], [10, 12, 14], [16, 18]], Values(result));
    }

    [Fact]
    public void TensorInputsArePassedWhole()
    {
        var body = new GraphBuilder("body").Input("a", null).Input("b", null).Node("Add", ["a", "b"], ["c"]).Output("c").Graph;
        var g = new GraphBuilder().Input("x0", SeqOf(DataType.Int64)).Input("t", DataType.Int64, 1)
            .Node("SequenceMap", ["x0", "t"], ["y"], NodeAttribute.Of("body", body)).Output("y");
        var result = (TensorSequence)g.RunSingle(17, ("x0", ThreeInt64()), ("t", Tensor.Create(new[] { 100L }, 1)));
        Assert.Equal([[101, 102, 103, 104], [105, 106, 107], [108, 109]], Values(result));
    }

    [Fact]
    public void SequencesOfDifferentLengthsAreAnError()
    {
        var body = new GraphBuilder("body").Input("a", null).Input("b", null).Node("Add", ["a", "b"], ["c"]).Output("c").Graph;
        var g = new GraphBuilder().Input("x0", SeqOf(DataType.Int64)).Input("x1", SeqOf(DataType.Int64))
            .Node("SequenceMap", ["x0", "x1"], ["y"], NodeAttribute.Of("body", body)).Output("y");
        var shorter = new TensorSequence(DataType.Int64, [Tensor.Create(new[] { 1L }, 1)]);
        var ex = Assert.ThrowsAny<AutoGlmException>(() => g.RunSingle(17, ("x0", ThreeInt64()), ("x1", shorter)));
        Assert.Contains("input sequence 1 has 1 tensors", ex.Message);
    }
}
