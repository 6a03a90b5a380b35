using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Sequence.SequenceTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Sequence;

[OpTest("SequenceConstruct")]
[OpTest("SequenceEmpty")]
[OpTest("SequenceLength")]
public sealed class SequenceConstructTests
{
    [Fact]
    public void ConstructKeepsOrderAndLengthCounts()
    {
        var g = new GraphBuilder()
            .Input("a", DataType.Float32, 2)
            .Input("b", DataType.Float32, 3)
            .Node("SequenceConstruct", ["a", "b", "a"], ["seq"])
            .Node("SequenceLength", ["seq"], ["n"])
            .Output("seq").Output("n");
        var a = Tensor.Create(new[] { 1f, 2f }, 2);
        var b = Tensor.Create(new[] { 3f, 4f, 5f }, 3);
        var r = GraphBuilder.Run(g.ToModel(11), ("a", a), ("b", b));
        var seq = (TensorSequence)r["seq"];
        Assert.Equal(DataType.Float32, seq.ElementType);
        Assert.Equal(3, seq.Items.Count);
        TensorAssert.Close(b, seq.Items[1]);
        var n = (Tensor)r["n"];
        Assert.Equal(0, n.Rank);
        Assert.Equal(3L, n.ToInt64Array()[0]);

        // Both inputs are 1-D: the inferred element type keeps the rank and forgets the differing length.
        var element = (TensorTypeInfo)((SequenceTypeInfo)g.Graph.Outputs[0].Type!).ElementType;
        Assert.Equal(1, element.Shape!.Rank);
    }

    [Fact]
    public void EmptyHasDtypeAndZeroLength()
    {
        var g = new GraphBuilder()
            .Node("SequenceEmpty", [], ["seq"], NodeAttribute.Of("dtype", (long)DataType.Int32))
            .Node("SequenceLength", ["seq"], ["n"])
            .Output("seq").Output("n");
        var r = GraphBuilder.Run(g.ToModel(11));
        Assert.Equal(DataType.Int32, ((TensorSequence)r["seq"]).ElementType);
        Assert.Empty(((TensorSequence)r["seq"]).Items);
        Assert.Equal(0L, ((Tensor)r["n"]).ToInt64Array()[0]);

        var defaultType = (TensorSequence)new GraphBuilder().Node("SequenceEmpty", [], ["s"]).Output("s").RunSingle(11);
        Assert.Equal(DataType.Float32, defaultType.ElementType);
    }

    [Fact]
    public void MixedElementTypesAreAnError()
    {
        var g = new GraphBuilder()
            .Input("a", DataType.Float32, 2)
            .Input("b", DataType.Int64, 2)
            .Node("SequenceConstruct", ["a", "b"], ["seq"])
            .Output("seq");
        var ex = Assert.ThrowsAny<AutoGlmException>(() => GraphBuilder.Run(g.ToModel(11), ("a", new Tensor<float>([2])), ("b", new Tensor<long>([2]))));
        Assert.Contains("element type", ex.Message);
    }

    [Fact]
    public void LengthOfAFedSequence()
    {
        var g = new GraphBuilder().Input("s", SeqOf(DataType.Int64)).Node("SequenceLength", ["s"], ["n"]).Output("n");
        Assert.Equal(3L, ((Tensor)g.RunSingle(11, ("s", ThreeInt64()))).ToInt64Array()[0]);
    }
}
