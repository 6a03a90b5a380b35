using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Sequence.SequenceTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Sequence;

[OpTest("Optional")]
[OpTest("OptionalHasElement")]
[OpTest("OptionalGetElement")]
public sealed class OptionalTests
{
    private static readonly Tensor<float> s_x = Tensor.Create(new[] { 1f, 2f, 3f, 4f }, 4);

    [Fact]
    public void WrapsATensorAndUnwrapsIt()
    {
        var g = new GraphBuilder().Input("x", DataType.Float32, 4)
            .Node("Optional", ["x"], ["opt"])
            .Node("OptionalHasElement", ["opt"], ["has"])
            .Node("OptionalGetElement", ["opt"], ["y"])
            .Output("opt").Output("has").Output("y");
        var r = GraphBuilder.Run(g.ToModel(15), ("x", s_x));
        Assert.True(((OptionalValue)r["opt"]).HasValue);
        Assert.True(((Tensor)r["has"]).AsSpan<bool>()[0]);
        TensorAssert.Close(s_x, (Tensor)r["y"]);
        Assert.Equal(new OptionalTypeInfo(new TensorTypeInfo(DataType.Float32, new Shape(4))), g.Graph.Outputs[0].Type);
    }

    [Fact]
    public void EmptyOptionalOfTypeAttribute()
    {
        var type = new SequenceTypeInfo(new TensorTypeInfo(DataType.Int64, null));
        var g = new GraphBuilder()
            .Node("Optional", [], ["opt"], new NodeAttribute("type", AttributeKind.TypeProto, type))
            .Node("OptionalHasElement", ["opt"], ["has"])
            .Output("opt").Output("has");
        var r = GraphBuilder.Run(g.ToModel(15));
        var opt = (OptionalValue)r["opt"];
        Assert.False(opt.HasValue);
        Assert.Equal(type, opt.ElementType);
        Assert.False(((Tensor)r["has"]).AsSpan<bool>()[0]);
    }

    [Fact]
    public void FedOptionalsAndSequences()
    {
        var g = new GraphBuilder().Input("o", new OptionalTypeInfo(SeqOf(DataType.Int64)))
            .Node("OptionalGetElement", ["o"], ["s"]).Node("OptionalHasElement", ["o"], ["has"]).Output("s").Output("has");
        var r = GraphBuilder.Run(g.ToModel(15), ("o", new OptionalValue(SeqOf(DataType.Int64), ThreeInt64())));
        Assert.Equal(3, ((TensorSequence)r["s"]).Items.Count);

        // Opset 18: a plain tensor is accepted and an omitted input is an empty optional.
        var plain = new GraphBuilder().Input("x", DataType.Float32, 4).Node("OptionalGetElement", ["x"], ["y"]).Output("y");
        TensorAssert.Close(s_x, (Tensor)plain.RunSingle(18, ("x", s_x)));
        var omitted = new GraphBuilder().Node("OptionalHasElement", [""], ["has"]).Output("has");
        Assert.False(((Tensor)omitted.RunSingle(18)).AsSpan<bool>()[0]);
    }

    [Fact]
    public void GettingFromAnEmptyOptionalIsAnError()
    {
        var g = new GraphBuilder().Input("o", new OptionalTypeInfo(new TensorTypeInfo(DataType.Float32, null)))
            .Node("OptionalGetElement", ["o"], ["y"]).Output("y");
        var ex = Assert.ThrowsAny<AutoGlmException>(() => g.RunSingle(15, ("o", new OptionalValue(new TensorTypeInfo(DataType.Float32, null), null))));
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void OptionalWithoutInputOrTypeIsAnError()
    {
        var g = new GraphBuilder().Node("Optional", [], ["opt"]).Output("opt");
        var ex = Assert.ThrowsAny<AutoGlmException>(() => g.RunSingle(15));
        Assert.Contains("'type' attribute", ex.Message);
    }
}
