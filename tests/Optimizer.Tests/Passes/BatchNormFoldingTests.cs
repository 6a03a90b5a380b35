using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

/// <summary>Conv+BN, MatMul/Gemm+BN, standalone BN → Mul+Add, Conv+Mul/Add and MatMul+Add → Gemm.</summary>
public sealed class BatchNormFoldingTests
{
    private static ModelBuilder BatchNormParams(ModelBuilder b, int channels) => b
        .Initializer("gamma", Uniform(11, 0.5f, 1.5f, channels))
        .Initializer("beta", Random(12, channels))
        .Initializer("mean", Random(13, channels))
        .Initializer("var", Uniform(14, 0.2f, 2f, channels));

    private static ModelBuilder ConvBn(bool withBias, bool bnReadsTwice = false)
    {
        var b = new ModelBuilder()
            .Input("x", DataType.Float32, 1, 2, 5, 5)
            .Initializer("W", Random(1, 3, 2, 3, 3))
            .Initializer("B", Random(2, 3));
        b = BatchNormParams(b, 3)
            .Node("Conv", withBias ? ["x", "W", "B"] : ["x", "W"], ["c"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }))
            .Node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["y"], NodeAttribute.Of("epsilon", 1e-3f))
            .Output("y");
        return bnReadsTwice ? b.Node("Relu", ["c"], ["r"]).Output("r") : b;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConvBatchNormFoldsIntoConv(bool withBias)
    {
        var session = AssertOutputsPreserved(() => ConvBn(withBias).Build(), Feeds(("x", Random(5, 1, 2, 5, 5))));
        var conv = Assert.Single(session.Model.Graph.Nodes);
        Assert.Equal("Conv", conv.OpType);
        Assert.Equal("y", conv.Outputs[0]);
    }

    [Fact]
    public void ConvWhoseOutputIsReadTwiceKeepsItsBatchNorm()
    {
        AssertUnchanged(new FoldConvBatchNorm(), ConvBn(true, bnReadsTwice: true).Build());
    }

    [Fact]
    public void MatMulAndGemmBatchNormBecomeGemm()
    {
        Model Build() => BatchNormParams(new ModelBuilder(), 5)
            .Input("x", DataType.Float32, 4, 3)
            .Initializer("W", Random(1, 3, 5))
            .Initializer("Wt", Random(2, 5, 3))
            .Initializer("C", Random(3, 1, 5))
            .Node("MatMul", ["x", "W"], ["m"])
            .Node("BatchNormalization", ["m", "gamma", "beta", "mean", "var"], ["y"])
            .Node("Gemm", ["x", "Wt", "C"], ["g"], NodeAttribute.Of("transB", 1L), NodeAttribute.Of("alpha", 0.5f), NodeAttribute.Of("beta", 2f))
            .Node("BatchNormalization", ["g", "gamma", "beta", "mean", "var"], ["z"])
            .Output("y")
            .Output("z")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(5, 4, 3))));
        Assert.Equal(2, Count(session, "Gemm"));
        Assert.Equal(0, Count(session, "BatchNormalization") + Count(session, "MatMul"));
    }

    [Fact]
    public void MatMulBatchNormOverAnInnerAxisStays()
    {
        // A 3-D MatMul result [2,4,5] puts BN's channel axis 1 on the 4, not the last dim.
        var model = BatchNormParams(new ModelBuilder(), 4)
            .Input("x", DataType.Float32, 2, 4, 3)
            .Initializer("W", Random(1, 3, 4))
            .Node("MatMul", ["x", "W"], ["m"])
            .Node("BatchNormalization", ["m", "gamma", "beta", "mean", "var"], ["y"])
            .Output("y")
            .Build();
        AssertUnchanged(new FoldMatMulBatchNorm(), model);
    }

    [Fact]
    public void StandaloneBatchNormBecomesMulAdd()
    {
        Model Build() => BatchNormParams(new ModelBuilder(), 3)
            .Input("x", DataType.Float32, 2, 3, 4, 4)
            .Node("BatchNormalization", ["x", "gamma", "beta", "mean", "var"], ["y"], NodeAttribute.Of("epsilon", 1e-2f))
            .Output("y")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(5, 2, 3, 4, 4))));
        Assert.Equal(["Mul", "Add"], session.Model.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal("y", session.Model.Graph.Nodes[1].Outputs[0]);
    }

    [Fact]
    public void BatchNormWithNonConstantParametersStays()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3, 4)
            .Input("gamma", DataType.Float32, 3)
            .Initializer("beta", Random(12, 3))
            .Initializer("mean", Random(13, 3))
            .Initializer("var", Uniform(14, 0.2f, 2f, 3))
            .Node("BatchNormalization", ["x", "gamma", "beta", "mean", "var"], ["y"])
            .Output("y")
            .Build();
        AssertUnchanged(new DecomposeBatchNorm(), model);
    }

    [Fact]
    public void ConvFollowedByPerChannelMulAndAddFolds()
    {
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 1, 2, 5, 5)
            .Initializer("W", Random(1, 3, 2, 3, 3))
            .Initializer("B", Random(2, 3))
            .Initializer("k", Random(3, 3, 1, 1))
            .Initializer("d", Random(4, 1, 3, 1, 1))
            .Node("Conv", ["x", "W", "B"], ["c"])
            .Node("Mul", ["k", "c"], ["m"])
            .Node("Add", ["m", "d"], ["y"])
            .Output("y")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(5, 1, 2, 5, 5))));
        Assert.Equal(["Conv"], session.Model.Graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void ConvFollowedByASpatiallyVaryingMulStays()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 1, 2, 5, 5)
            .Initializer("W", Random(1, 3, 2, 3, 3))
            .Initializer("k", Random(3, 1, 1, 3, 1))
            .Node("Conv", ["x", "W"], ["c"])
            .Node("Mul", ["c", "k"], ["y"])
            .Output("y")
            .Build();
        AssertUnchanged(new FoldConvMulAdd(), model);
    }

    [Fact]
    public void MatMulWithConstantWeightsAndBiasBecomesGemm()
    {
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 4, 3)
            .Initializer("W", Random(1, 3, 5))
            .Initializer("b", Random(2, 5))
            .Node("MatMul", ["x", "W"], ["m"])
            .Node("Add", ["b", "m"], ["y"])
            .Output("y")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(5, 4, 3))));
        Assert.Equal(["Gemm"], session.Model.Graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void NoGemmIsCreatedWhenNoProviderClaimsIt()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 4, 3)
            .Initializer("W", Random(1, 3, 5))
            .Initializer("b", Random(2, 5))
            .Node("MatMul", ["x", "W"], ["m"])
            .Node("Add", ["m", "b"], ["y"])
            .Output("y")
            .Build();
        AssertUnchanged(new FuseMatMulAddToGemm(), model, new PassContext { CanRun = n => n.OpType != "Gemm" });
    }

    [Fact]
    public void MatMulWithAFullMatrixBiasOrThreeDimInputStays()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 4, 3)
            .Input("x3", DataType.Float32, 2, 4, 3)
            .Initializer("W", Random(1, 3, 5))
            .Initializer("full", Random(2, 4, 5))
            .Initializer("b", Random(3, 5))
            .Node("MatMul", ["x", "W"], ["m"])
            .Node("Add", ["m", "full"], ["y"])
            .Node("MatMul", ["x3", "W"], ["m3"])
            .Node("Add", ["m3", "b"], ["z"])
            .Output("y")
            .Output("z")
            .Build();
        AssertUnchanged(new FuseMatMulAddToGemm(), model);
    }
}
