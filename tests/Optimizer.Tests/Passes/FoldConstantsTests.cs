using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

public sealed class FoldConstantsTests
{
    // y = x + (a * b) + Constant(c): the Mul and the Constant fold into initializers; the Adds stay.
    private static Model Build() => new ModelBuilder()
        .Input("x", DataType.Float32, 2, 3)
        .Initializer("a", Random(1, 2, 3))
        .Initializer("b", Random(2, 3))
        .Node("Mul", ["a", "b"], ["ab"])
        .Node("Constant", [], ["c"], NodeAttribute.Of("value", (Tensor)Random(3, 3)))
        .Node("Add", ["x", "ab"], ["s"])
        .Node("Add", ["s", "c"], ["y"])
        .Output("y")
        .Build();

    [Fact]
    public void ConstantSubgraphsFoldAndOutputsStay()
    {
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(4, 2, 3))));
        Assert.Equal(0, Count(session, "Mul"));
        Assert.Equal(0, Count(session, "Constant"));
        Assert.Equal(2, Count(session, "Add"));
        Assert.Contains(session.OptimizationReport.Passes, p => p.Name == "fold-constants" && p.Rewrites == 2);
    }

    [Fact]
    public void RandomOpsAndGraphOutputsAreNotFolded()
    {
        var model = new ModelBuilder()
            .Initializer("a", Random(1, 2, 3))
            .Node("RandomUniformLike", ["a"], ["r"])
            .Node("Relu", ["a"], ["y"])
            .Node("Add", ["r", "y"], ["z"])
            .Output("y")
            .Output("z")
            .Build();
        AssertUnchanged(new FoldConstants(), model);
    }

    [Fact]
    public void ResultsOverTheSizeCapAreNotMaterialized()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Initializer("a", Random(1, 2, 3))
            .Node("Neg", ["a"], ["n"])
            .Node("Add", ["x", "n"], ["y"])
            .Output("y")
            .Build();
        var context = new PassContext { Evaluator = ProviderConstantEvaluator.For([new CpuExecutionProvider()]), FoldingSizeCapBytes = 23 };
        AssertUnchanged(new FoldConstants(), model, context);
        context = new PassContext { Evaluator = context.Evaluator, FoldingSizeCapBytes = 24 };
        Assert.True(ApplyOnly(new FoldConstants(), model, context));
        Assert.Equal(-((Tensor)model.Graph.Initializers["a"]).ToDoubleArray()[0], model.Graph.Initializers["n"].ToDoubleArray()[0], 6);
    }

    [Fact]
    public void OverridableInitializersAreNotConstants()
    {
        var model = new ModelBuilder()
            .Input("a", DataType.Float32, 3)
            .Initializer("a", Random(1, 3))
            .Node("Neg", ["a"], ["y"])
            .Node("Relu", ["y"], ["z"])
            .Output("z")
            .Build();
        AssertUnchanged(new FoldConstants(), model);
    }

    [Fact]
    public void QuantizedWeightsStayQuantized()
    {
        // DequantizeLinear(int8 W) is left for providers to fuse the QDQ group; the float MatMul after it stays too.
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Initializer("wq", Tensor.Create(new sbyte[] { 1, -2, 3, 4, -5, 6 }, 3, 2))
            .Initializer("scale", Tensor.Scalar(0.5f))
            .Initializer("zp", Tensor.Scalar((sbyte)0))
            .Node("DequantizeLinear", ["wq", "scale", "zp"], ["w"])
            .Node("MatMul", ["x", "w"], ["y"])
            .Output("y")
            .Build();
        AssertUnchanged(new FoldConstants(), model);
    }

    [Fact]
    public void WithoutAnEvaluatorNothingFolds()
    {
        AssertUnchanged(new FoldConstants(), Build(), PassContext.Empty);
    }
}
