using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Fusion;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.Fusion.FusionHarness;

namespace OpenAutoGlm.Optimizer.Tests.Fusion;

public sealed class FuseNormalizationTests
{
    private static readonly (string, Tensor)[] s_feeds = [("x", Random(1, 2, 3, 16))];

    [Theory]
    [InlineData(13, true, true)]
    [InlineData(13, false, false)]
    [InlineData(18, true, false)]
    public void DecomposedLayerNormBecomesLayerNormalization(long opset, bool gamma, bool beta)
    {
        var model = Optimize(() => DecomposedLayerNorm(opset, gamma, beta, axes: [-1]), [new FuseLayerNormalization()], s_feeds);
        Assert.Equal("LayerNormalization", Ops(model));
        var ln = model.Graph.Nodes[0];
        Assert.Equal(string.Empty, ln.Domain);
        Assert.Equal(-1, ln.Attributes.GetInt("axis"));
        Assert.Equal(1e-5f, ln.Attributes.GetFloat("epsilon"));
    }

    [Fact]
    public void LayerNormOverTwoAxes()
    {
        var model = Optimize(() => DecomposedLayerNorm(13, true, true, axes: [1, 2]), [new FuseLayerNormalization()], s_feeds);
        Assert.Equal("LayerNormalization", Ops(model));
        Assert.Equal(-2, model.Graph.Nodes[0].Attributes.GetInt("axis"));
    }

    [Fact]
    public void MeanOverALeadingAxisIsNotLayerNorm() =>
        AssertUnchanged(() => DecomposedLayerNorm(13, true, true, axes: [1]), new FuseLayerNormalization());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DecomposedRmsNormBecomesRmsNormalization(bool reciprocal)
    {
        var model = Optimize(() => DecomposedRms(reciprocal, constantEps: true), [new FuseLayerNormalization(), new FuseRmsNormalization()], s_feeds);
        Assert.Equal("RmsNormalization", Ops(model));
        Assert.Equal(1e-6f, model.Graph.Nodes[0].Attributes.GetFloat("epsilon"));
    }

    [Fact]
    public void RmsWithNonConstantEpsilonIsNotFused() =>
        AssertUnchanged(() => DecomposedRms(false, constantEps: false), new FuseRmsNormalization());

    [Fact]
    public void SkipLayerNormTakesBiasAndKeepsTheSumForOtherReaders()
    {
        var feeds = new (string, Tensor)[] { ("x", Random(1, 2, 3, 16)), ("skip", Random(2, 2, 3, 16)) };
        var model = Optimize(() => AddLayerNorm(skipDims: [2, 3, 16]), [new FuseSkipLayerNormalization()], feeds);
        Assert.Equal("SkipLayerNormalization,Relu,Add", Ops(model));
        var sln = model.Graph.Nodes[0];
        Assert.Equal(["x", "skip", "gamma", "beta", "bias"], sln.Inputs);
        Assert.Equal(["ln", "s"], sln.Outputs);
    }

    [Fact]
    public void BroadcastingSkipIsFusedToo()
    {
        var feeds = new (string, Tensor)[] { ("x", Random(1, 2, 3, 16)), ("skip", Random(2, 1, 1, 16)) };
        var model = Optimize(() => AddLayerNorm(skipDims: [1, 1, 16]), [new FuseSkipLayerNormalization()], feeds);
        Assert.Equal("SkipLayerNormalization,Relu,Add", Ops(model));
    }

    [Fact]
    public void LayerNormOverTwoAxesIsNotSkipLayerNorm() =>
        AssertUnchanged(() => AddLayerNorm(skipDims: [2, 3, 16], axis: -2), new FuseSkipLayerNormalization());

    private static Model DecomposedLayerNorm(long opset, bool gamma, bool beta, long[] axes)
    {
        var b = new ModelBuilder(opset).Input("x", DataType.Float32, 2, 3, 16)
            .Initializer("two", Tensor.Scalar(2f)).Initializer("eps", Tensor.Scalar(1e-5f))
            .Initializer("gamma", Random(7, 16)).Initializer("beta", Random(8, 16));
        NodeAttribute[] attrs = opset >= 18 ? [] : [NodeAttribute.Of("axes", axes)];
        string[] mean1 = opset >= 18 ? ["x", "axes"] : ["x"];
        string[] mean2 = opset >= 18 ? ["p", "axes"] : ["p"];
        if (opset >= 18)
        {
            b = b.Initializer("axes", Tensor.Create(axes, axes.Length));
        }

        b = b.Node("ReduceMean", mean1, ["m"], attrs).Node("Sub", ["x", "m"], ["d"]).Node("Pow", ["d", "two"], ["p"]).Node("ReduceMean", mean2, ["v"], attrs)
            .Node("Add", ["v", "eps"], ["ve"]).Node("Sqrt", ["ve"], ["s"]).Node("Div", ["d", "s"], ["n"]);
        string y = "n";
        if (gamma)
        {
            b = b.Node("Mul", ["n", "gamma"], ["g"]);
            y = "g";
        }

        if (beta)
        {
            b = b.Node("Add", [y, "beta"], ["y"]);
            y = "y";
        }

        return b.Output(y).Build();
    }

    private static Model DecomposedRms(bool reciprocal, bool constantEps)
    {
        var b = new ModelBuilder(13).Input("x", DataType.Float32, 2, 3, 16).Initializer("two", Tensor.Scalar(2f)).Initializer("gamma", Random(7, 16));
        b = constantEps ? b.Initializer("eps", Tensor.Scalar(1e-6f)) : b.Input("eps", DataType.Float32);
        b = b.Node("Pow", ["x", "two"], ["sq"]).Node("ReduceMean", ["sq"], ["ms"], NodeAttribute.Of("axes", new long[] { -1 })).Node("Add", ["ms", "eps"], ["mse"]).Node("Sqrt", ["mse"], ["r"]);
        b = reciprocal ? b.Node("Reciprocal", ["r"], ["rr"]).Node("Mul", ["x", "rr"], ["n"]) : b.Node("Div", ["x", "r"], ["n"]);
        var model = b.Node("Mul", ["gamma", "n"], ["y"]).Output("y").Build();
        return model;
    }

    private static Model AddLayerNorm(int[] skipDims, long axis = -1) =>
        new ModelBuilder(17).Input("x", DataType.Float32, 2, 3, 16).Input("skip", DataType.Float32, skipDims.Select(d => (Dim)d).ToArray())
            .Initializer("bias", Random(6, 16)).Initializer("gamma", axis == -1 ? Random(7, 16) : Random(7, 3, 16)).Initializer("beta", Random(8, 16))
            .Node("Add", ["x", "bias"], ["xb"]).Node("Add", ["xb", "skip"], ["s"])
            .Node("LayerNormalization", ["s", "gamma", "beta"], ["ln"], NodeAttribute.Of("epsilon", 1e-3f), NodeAttribute.Of("axis", axis))
            .Node("Relu", ["ln"], ["r"]).Node("Add", ["r", "s"], ["y"]).Output("y").Build();
}
