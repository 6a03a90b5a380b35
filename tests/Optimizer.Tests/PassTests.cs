using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Optimizer.Tests;

public sealed class PassTests
{
    [Fact]
    public void IdentityIsRemovedAndConsumersRewired()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2)
            .Node("Identity", ["x"], ["i"])
            .Node("Relu", ["i"], ["y"])
            .Output("y")
            .Build();
        Assert.True(new EliminateIdentity().Apply(model, PassContext.Empty));
        var relu = Assert.Single(model.Graph.Nodes);
        Assert.Equal("x", relu.Inputs[0]);
    }

    [Fact]
    public void IdentityProducingGraphOutputIsKept()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2)
            .Node("Identity", ["x"], ["y"])
            .Output("y")
            .Build();
        Assert.False(new EliminateIdentity().Apply(model, PassContext.Empty));
        Assert.Single(model.Graph.Nodes);
    }

    [Fact]
    public void DeadNodesAndUnusedInitializersAreRemoved()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2)
            .Initializer("unused", Tensor.Create(new float[] { 1, 2 }, 2))
            .Node("Relu", ["x"], ["y"])
            .Node("Relu", ["unused"], ["dead"])
            .Output("y")
            .Build();
        Assert.True(new EliminateDeadNodes().Apply(model, PassContext.Empty));
        Assert.Single(model.Graph.Nodes);
        Assert.Empty(model.Graph.Initializers);
    }

    [Fact]
    public void LevelNoneRunsNothing()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2)
            .Node("Identity", ["x"], ["i"])
            .Node("Relu", ["i"], ["y"])
            .Output("y")
            .Build();
        var report = PassManager.Default.Run(model, OptimizationLevel.None);
        Assert.Empty(report.PassesApplied);
        Assert.Equal(2, model.Graph.Nodes.Count);
    }

    [Fact]
    public void FailingPassIsReportedNotFatalUnlessStrict()
    {
        var model = new ModelBuilder().Input("x", DataType.Float32, 2).Node("Relu", ["x"], ["y"]).Output("y").Build();
        var manager = new PassManager([new ThrowingPass()]);
        var report = manager.Run(model, OptimizationLevel.All);
        Assert.Contains(report.PassErrors, e => e.Contains("throwing-pass"));
        Assert.Throws<GraphValidationException>(() => manager.Run(model, OptimizationLevel.All, strict: true));
    }

    private sealed class ThrowingPass : IGraphPass
    {
        public string Name => "throwing-pass";

        public OptimizationLevel Level => OptimizationLevel.Basic;

        public bool Apply(Model model, PassContext context) => throw new GraphValidationException("broken on purpose");
    }
}
