using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

/// <summary>Reshape→Reshape, Transpose→Transpose and Squeeze/Unsqueeze pairs.</summary>
public sealed class LayoutChainTests
{
    [Fact]
    public void ReshapeChainsCollapse()
    {
        // [2,3,4] → [6,4] → [4,-1]: one Reshape from x; a Reshape to x's own static shape disappears.
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3, 4)
            .Initializer("s1", Longs(6, 4))
            .Initializer("s2", Longs(4, -1))
            .Initializer("same", Longs(2, 3, 4))
            .Node("Reshape", ["x", "s1"], ["a"])
            .Node("Reshape", ["a", "s2"], ["b"])
            .Node("Relu", ["b"], ["y"])
            .Node("Reshape", ["x", "same"], ["c"])
            .Node("Neg", ["c"], ["z"])
            .Output("y")
            .Output("z")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 2, 3, 4))));
        var reshape = Assert.Single(session.Model.Graph.Nodes, n => n.OpType == "Reshape");
        Assert.Equal("x", reshape.Inputs[0]);
        Assert.Equal("x", session.Model.Graph.Nodes.Single(n => n.OpType == "Neg").Inputs[0]);
    }

    [Fact]
    public void ReshapeToZeroDimsIsNotShortened()
    {
        // A 0 in the second target copies a dim of the intermediate shape, not of x.
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3, 4)
            .Initializer("s1", Longs(6, 4))
            .Initializer("s2", Longs(0, 2, 2))
            .Node("Reshape", ["x", "s1"], ["a"])
            .Node("Reshape", ["a", "s2"], ["y"])
            .Output("y")
            .Build();
        AssertUnchanged(new FuseReshapeChains(), model);
    }

    [Fact]
    public void TransposeChainsComposeOrCancel()
    {
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3, 4)
            .Node("Transpose", ["x"], ["a"], NodeAttribute.Of("perm", new long[] { 1, 2, 0 }))
            .Node("Transpose", ["a"], ["b"], NodeAttribute.Of("perm", new long[] { 1, 2, 0 }))
            .Node("Relu", ["b"], ["y"])
            .Node("Transpose", ["x"], ["c"], NodeAttribute.Of("perm", new long[] { 1, 0, 2 }))
            .Node("Transpose", ["c"], ["d"], NodeAttribute.Of("perm", new long[] { 1, 0, 2 }))
            .Node("Neg", ["d"], ["z"])
            .Output("y")
            .Output("z")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 2, 3, 4))));
        var t = Assert.Single(session.Model.Graph.Nodes, n => n.OpType == "Transpose");
        Assert.Equal(new long[] { 2, 0, 1 }, t.Attributes.GetInts("perm"));
        Assert.Equal("x", session.Model.Graph.Nodes.Single(n => n.OpType == "Neg").Inputs[0]);
    }

    [Fact]
    public void CancellingPairAtAGraphOutputKeepsTheOutputName()
    {
        // y = T(T(Relu(x))): the transposes go and the Relu produces 'y' itself.
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Node("Relu", ["x"], ["r"])
            .Node("Transpose", ["r"], ["a"], NodeAttribute.Of("perm", new long[] { 1, 0 }))
            .Node("Transpose", ["a"], ["y"])
            .Output("y")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 2, 3))));
        var relu = Assert.Single(session.Model.Graph.Nodes);
        Assert.Equal(("Relu", "y"), (relu.OpType, relu.Outputs[0]));
        Assert.Equal(["y"], session.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void TransposesSeparatedByAnotherOpStay()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Node("Transpose", ["x"], ["a"], NodeAttribute.Of("perm", new long[] { 1, 0 }))
            .Node("Relu", ["a"], ["b"])
            .Node("Transpose", ["b"], ["y"], NodeAttribute.Of("perm", new long[] { 1, 0 }))
            .Output("y")
            .Build();
        AssertUnchanged(new FuseTransposeChains(), model);
    }

    [Fact]
    public void SqueezeUnsqueezePairsCancel()
    {
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 2, 1, 3)
            .Initializer("axis1", Longs(1))
            .Initializer("axisNeg", Longs(-2))
            .Node("Squeeze", ["x", "axis1"], ["s"])
            .Node("Unsqueeze", ["s", "axisNeg"], ["u"])
            .Node("Relu", ["u"], ["y"])
            .Node("Unsqueeze", ["x", "axis1"], ["v"])
            .Node("Squeeze", ["v", "axis1"], ["w"])
            .Node("Neg", ["w"], ["z"])
            .Output("y")
            .Output("z")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 2, 1, 3))));
        Assert.Equal(0, Count(session, "Squeeze") + Count(session, "Unsqueeze"));
    }

    [Fact]
    public void PairsOverDifferentAxesStay()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 1, 3)
            .Initializer("axis1", Longs(1))
            .Initializer("axis0", Longs(0))
            .Node("Squeeze", ["x", "axis1"], ["s"])
            .Node("Unsqueeze", ["s", "axis0"], ["y"])
            .Output("y")
            .Build();
        AssertUnchanged(new EliminateSqueezeUnsqueeze(), model);
    }
}
