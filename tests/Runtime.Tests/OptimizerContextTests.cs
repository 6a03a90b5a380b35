using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Runtime.Tests;

/// <summary>The PassContext a session hands the optimizer: constant evaluator and capability query over its providers.</summary>
public sealed class OptimizerContextTests
{
    [Fact]
    public void EvaluatorRunsNodesOnTheHostProvider()
    {
        var evaluator = ProviderConstantEvaluator.For([new CpuExecutionProvider()])!;
        var node = new Node("Add", ["a", "b"], ["c"], "add");
        var result = evaluator.TryEvaluate(node, [Tensor.Create(new float[] { 1, 2 }, 2), Tensor.Create(new float[] { 10, 20 }, 2)], 17);
        Assert.Equal(new double[] { 11, 22 }, Assert.Single(result!).ToDoubleArray());
    }

    [Fact]
    public void EvaluatorSaysNoInsteadOfThrowing()
    {
        var evaluator = ProviderConstantEvaluator.For([new CpuExecutionProvider()])!;
        var unknown = new Node("Frobnicate", ["a"], ["b"], "f", "com.example");
        Assert.Null(evaluator.TryEvaluate(unknown, [Tensor.Scalar(1f)], 1));

        // Reshape of 6 elements to [4]: the kernel raises an error, folding just does not happen.
        var reshape = new Node("Reshape", ["x", "s"], ["y"], "r");
        Assert.Null(evaluator.TryEvaluate(reshape, [Tensor.Create(new float[6], 2, 3), Tensor.Create(new long[] { 4 }, 1)], 17));
    }

    [Fact]
    public void SessionContextClaimsWhatTheProvidersCanRun()
    {
        var model = new ModelBuilder().Input("x", DataType.Float32, 2).Node("Relu", ["x"], ["y"]).Output("y").Build();
        var context = ModelPreparation.CreatePassContext(model, [new CpuExecutionProvider()]);
        Assert.NotNull(context.Evaluator);
        Assert.True(context.Claims(model.Graph.Nodes[0]));
        Assert.False(context.Claims(new Node("FusedThing", ["x"], ["z"], "f", "com.example")));
    }

    [Fact]
    public void StrictOptimizationStillSucceedsOnAHealthyModel()
    {
        var model = new ModelBuilder().Input("x", DataType.Float32, 2).Node("Identity", ["x"], ["i"]).Node("Relu", ["i"], ["y"]).Output("y").Build();
        var session = InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()], StrictOptimization = true });
        Assert.Equal(["eliminate-identity"], session.OptimizationReport.PassesApplied);
        Assert.Empty(session.OptimizationReport.PassErrors);
    }
}
