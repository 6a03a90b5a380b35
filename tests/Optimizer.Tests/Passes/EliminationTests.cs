using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

/// <summary>Identity/Dropout elimination and dead node / unused initializer removal.</summary>
public sealed class EliminationTests
{
    [Fact]
    public void IdentityIsRemoved()
    {
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Node("Identity", ["x"], ["i"])
            .Node("Identity", ["i"], ["j"])
            .Node("Relu", ["j"], ["y"])
            .Output("y")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 2, 3))));
        var relu = Assert.Single(session.Model.Graph.Nodes);
        Assert.Equal("x", relu.Inputs[0]);
    }

    [Fact]
    public void InferenceDropoutIsRemovedButTrainingDropoutStays()
    {
        // Inference-mode Dropout is the identity; one with a training_mode input may draw a mask and stays.
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Input("training", DataType.Bool)
            .Initializer("ratio", Tensor.Scalar(0.5f))
            .Node("Dropout", ["x"], ["d"])
            .Node("Relu", ["d"], ["y"])
            .Node("Dropout", ["x", "ratio", "training"], ["t"])
            .Output("y")
            .Output("t")
            .Build();
        Assert.True(ApplyOnly(new EliminateIdentity(), model));
        Assert.Equal(["Relu", "Dropout"], model.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal("x", model.Graph.Nodes[0].Inputs[0]);
    }

    [Fact]
    public void IdentityProducingAGraphOutputIsKept()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2)
            .Node("Identity", ["x"], ["y"])
            .Output("y")
            .Build();
        AssertUnchanged(new EliminateIdentity(), model);
    }

    [Fact]
    public void DeadNodesAndUnusedInitializersAreRemoved()
    {
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 2)
            .Initializer("unused", Tensor.Create(new float[] { 1, 2 }, 2))
            .Initializer("dead_in", Tensor.Create(new float[] { 1, 2 }, 2))
            .Node("Relu", ["x"], ["y"])
            .Node("Add", ["x", "dead_in"], ["dead"])
            .Node("Neg", ["dead"], ["dead2"])
            .Output("y")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 2))), OptimizationLevel.Basic);
        Assert.Single(session.Model.Graph.Nodes);
        Assert.Empty(session.Model.Graph.Initializers);
        Assert.DoesNotContain("dead", session.Model.Graph.ValueInfos.Keys);
    }

    [Fact]
    public void LiveGraphLeftUnchanged()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2)
            .Input("w", DataType.Float32, 2)
            .Initializer("w", Tensor.Create(new float[] { 1, 2 }, 2))
            .Node("Mul", ["x", "w"], ["y"])
            .Output("y")
            .Build();
        AssertUnchanged(new EliminateDeadNodes(), model);
    }
}
