using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Fusion;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.Fusion.FusionHarness;

namespace OpenAutoGlm.Optimizer.Tests.Fusion;

public sealed class FuseMatMulConvTests
{
    private static readonly (string, Tensor)[] s_feeds = [("x", Random(1, 2, 3, 8))];

    [Theory]
    [InlineData("Relu", true)]
    [InlineData("Relu", false)]
    [InlineData("", true)]
    [InlineData("SiLU", true)]
    public void MatMulBiasActivationBecomesFusedMatMul(string activation, bool bias)
    {
        var model = Optimize(() => MatMul(activation, bias, constantBias: true), [new FuseMatMulBiasActivation()], s_feeds);
        var fused = Assert.Single(model.Graph.Nodes);
        Assert.Equal("FusedMatMul", fused.OpType);
        Assert.Equal(bias ? 3 : 2, fused.Inputs.Count);
        Assert.Equal(activation, fused.Attributes.GetString("activation", string.Empty));
    }

    [Fact]
    public void NonConstantBiasIsNotFused() => AssertUnchanged(() => MatMul("Relu", bias: true, constantBias: false), new FuseMatMulBiasActivation());

    [Fact]
    public void MatMulOutputWithASecondReaderIsNotFused()
    {
        AssertUnchanged(
            () =>
            {
                var m = MatMul("Relu", bias: true, constantBias: true);
                m.Graph.Outputs.Add(new ValueInfo("m", null));
                return m;
            },
            new FuseMatMulBiasActivation());
    }

    [Fact]
    public void GemmActivationBecomesFusedGemm()
    {
        var model = Optimize(
            () => new ModelBuilder(13).Input("x", DataType.Float32, 3, 8).Initializer("w", Random(3, 5, 8)).Initializer("c", Random(4, 5))
                .Node("Gemm", ["x", "w", "c"], ["g"], NodeAttribute.Of("transB", 1L)).Node("LeakyRelu", ["g"], ["y"], NodeAttribute.Of("alpha", 0.2f)).Output("y").Build(),
            [new FuseMatMulBiasActivation()],
            [("x", Random(5, 3, 8))]);
        var fused = Assert.Single(model.Graph.Nodes);
        Assert.Equal("FusedGemm", fused.OpType);
        Assert.Equal([0.2f], fused.Attributes.GetFloats("activation_params")!);
        Assert.Equal(1, fused.Attributes.GetInt("transB"));
    }

    [Theory]
    [InlineData(true, "Relu")]
    [InlineData(false, "Clip")]
    [InlineData(true, "")]
    public void ConvResidualActivationBecomesFusedConv(bool residual, string activation)
    {
        var model = Optimize(() => Conv(residual, activation, constantResidual: false), [new FuseConvActivation()], [("x", Random(6, 1, 4, 5, 5)), ("z", Random(7, 1, 4, 5, 5))]);
        var fused = Assert.Single(model.Graph.Nodes);
        Assert.Equal("FusedConv", fused.OpType);
        Assert.Equal(residual ? 4 : 3, fused.Inputs.Count);
        Assert.Equal([1L, 1, 1, 1], fused.Attributes.GetInts("pads")!);
    }

    [Fact]
    public void ConvWithConstantBroadcastAddIsNotFused() => AssertUnchanged(() => Conv(residual: true, "Relu", constantResidual: true), new FuseConvActivation());

    private static Model MatMul(string activation, bool bias, bool constantBias)
    {
        var b = new ModelBuilder(13).Input("x", DataType.Float32, 2, 3, 8).Initializer("w", Random(3, 8, 6));
        b = constantBias ? b.Initializer("b", Random(2, 6)) : b.Input("b", DataType.Float32, 6);
        b = b.Node("MatMul", ["x", "w"], ["m"]);
        string y = "m";
        if (bias)
        {
            b = b.Node("Add", ["b", "m"], ["a"]);
            y = "a";
        }

        b = activation switch
        {
            "Relu" => b.Node("Relu", [y], ["y"]),
            "SiLU" => b.Node("Sigmoid", [y], ["sg"]).Node("Mul", [y, "sg"], ["y"]),
            _ => b.Node("Identity", [y], ["y"]),
        };
        var model = b.Output("y").Build();
        if (activation.Length == 0)
        {
            // No activation: the Add itself is the output.
            model.Graph.Nodes.RemoveAt(model.Graph.Nodes.Count - 1);
            model.Graph.Outputs[0] = new ValueInfo(y, null);
        }

        return model;
    }

    private static Model Conv(bool residual, string activation, bool constantResidual)
    {
        var b = new ModelBuilder(13).Input("x", DataType.Float32, 1, 4, 5, 5).Initializer("w", Random(8, 4, 4, 3, 3)).Initializer("bias", Random(9, 4))
            .Node("Conv", ["x", "w", "bias"], ["c"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }));
        b = constantResidual ? b.Initializer("z", Random(7, 1, 4, 1, 1)) : b.Input("z", DataType.Float32, 1, 4, 5, 5);
        string y = "c";
        if (residual)
        {
            b = b.Node("Add", ["c", "z"], ["s"]);
            y = "s";
        }

        b = activation switch
        {
            "Relu" => b.Node("Relu", [y], ["y"]),
            "Clip" => b.Initializer("lo", Tensor.Scalar(0f)).Initializer("hi", Tensor.Scalar(6f)).Node("Clip", [y, "lo", "hi"], ["y"]),
            _ => b,
        };
        return b.Output(activation.Length == 0 ? y : "y").Build();
    }
}
