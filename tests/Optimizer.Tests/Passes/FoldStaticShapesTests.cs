using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

public sealed class FoldStaticShapesTests
{
    // y = Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): a [2,3,4] x becomes [2,12].
    private static Model Build(params Dim[] dims) => new ModelBuilder()
        .Input("x", DataType.Float32, dims)
        .Initializer("zero", Tensor.Scalar(0L))
        .Initializer("axes", Longs(0))
        .Initializer("minus1", Longs(-1))
        .Node("Shape", ["x"], ["shape"])
        .Node("Gather", ["shape", "zero"], ["batch"], NodeAttribute.Of("axis", 0L))
        .Node("Unsqueeze", ["batch", "axes"], ["batch1"])
        .Node("Concat", ["batch1", "minus1"], ["target"], NodeAttribute.Of("axis", 0L))
        .Node("Reshape", ["x", "target"], ["y"])
        .Output("y")
        .Build();

    [Fact]
    public void ShapeChainOfAStaticValueFoldsAway()
    {
        var session = AssertOutputsPreserved(() => Build(2, 3, 4), Feeds(("x", Random(1, 2, 3, 4))));
        Assert.Equal(["Reshape"], session.Model.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal(new long[] { 2, -1 }, session.Model.Graph.Initializers[session.Model.Graph.Nodes[0].Inputs[1]].ToInt64Array());
    }

    [Fact]
    public void SymbolicDimsKeepTheShapeOp()
    {
        AssertUnchanged(new FoldStaticShapes(), Build(Dim.Symbolic("batch"), 3, 4));
        var session = AssertOutputsPreserved(() => Build(Dim.Symbolic("batch"), 3, 4), Feeds(("x", Random(1, 5, 3, 4))));
        Assert.Equal(1, Count(session, "Shape"));
    }

    [Fact]
    public void SizeOfAStaticValueFolds()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Node("Size", ["x"], ["n"])
            .Node("Cast", ["n"], ["nf"], NodeAttribute.Of("to", (long)DataType.Float32))
            .Node("Mul", ["x", "nf"], ["y"])
            .Output("y")
            .Build();
        Assert.True(ApplyOnly(new FoldStaticShapes(), model));
        Assert.Equal(6, model.Graph.Initializers["n"].ToInt64Array()[0]);
    }
}
