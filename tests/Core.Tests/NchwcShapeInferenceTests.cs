using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Core.Tests;

/// <summary>Shape inference of the ai.autoglm NCHWc ops (ReorderInput, ReorderOutput, NchwcConv, NchwcExpandDepthwise, NchwcPool).</summary>
public sealed class NchwcShapeInferenceTests
{
    private const string Domain = "ai.autoglm";
    private static readonly Dim s_batch = Dim.Symbolic("N");

    private static Shape Infer(Dim[] x, string op, NodeAttribute[] attrs, Dim[]? w = null)
    {
        var b = new ModelBuilder().Opset(Domain, 1).Input("x", DataType.Float32, x);
        string[] inputs = ["x"];
        if (w is not null)
        {
            b.Input("w", DataType.Float32, w);
            inputs = ["x", "w"];
        }

        var model = b.NodeInDomain(Domain, op, inputs, ["y"], attrs).Output("y").Build();
        ShapeInferencer.Run(model, new ShapeInferenceOptions { Strict = true });
        var y = (TensorTypeInfo)model.Graph.ValueInfos["y"].Type!;
        Assert.Equal(DataType.Float32, y.ElementType);
        return y.Shape!;
    }

    private static ShapeInferenceException Error(Dim[] x, string op, NodeAttribute[] attrs, Dim[]? w = null) =>
        Assert.Throws<ShapeInferenceException>(() => Infer(x, op, attrs, w));

    [Theory]
    [InlineData(20, 2)]
    [InlineData(16, 1)]
    [InlineData(17, 2)]
    [InlineData(3, 1)]
    [InlineData(1280, 80)]
    public void ReorderInputRoundsChannelsUpToBlocks(int c, int blocks)
    {
        Assert.Equal(new Shape(2, blocks, 7, 9, 16), Infer([2, c, 7, 9], "ReorderInput", []));
        Assert.Equal(new Shape(s_batch, blocks, 7, 9, 16), Infer([s_batch, c, 7, 9], "ReorderInput", []));
    }

    [Fact]
    public void ReorderInputOfUnknownChannelsHasUnknownBlocks()
    {
        var y = Infer([s_batch, Dim.Symbolic("C"), 5, 5], "ReorderInput", []);
        Assert.Equal(5, y.Rank);
        Assert.Null(y[1].Value);
        Assert.Equal(16L, y[4].Value);
    }

    [Fact]
    public void ReorderInputOfRankOtherThanFourIsAnError() =>
        Assert.Contains("must be [N, C, H, W] (rank 4), got shape [N,16,5]", Error([s_batch, 16, 5], "ReorderInput", []).Message);

    [Theory]
    [InlineData(20, 2)]
    [InlineData(32, 2)]
    [InlineData(1, 1)]
    public void ReorderOutputRestoresChannels(long c, int blocks) =>
        Assert.Equal(new Shape(s_batch, c, 6, 4), Infer([s_batch, blocks, 6, 4, 16], "ReorderOutput", [NodeAttribute.Of("channels", c)]));

    [Fact]
    public void ReorderOutputOfNonBlockedInputIsAnError()
    {
        Assert.Contains("must be blocked [N, C/16, H, W, 16], got shape [N,16,6,4]", Error([s_batch, 16, 6, 4], "ReorderOutput", [NodeAttribute.Of("channels", 16L)]).Message);
        Assert.Contains("got shape [N,1,6,4,8]", Error([s_batch, 1, 6, 4, 8], "ReorderOutput", [NodeAttribute.Of("channels", 16L)]).Message);
    }

    [Fact]
    public void ReorderOutputChannelsNotMatchingBlocksIsAnError() =>
        Assert.Contains("has 1 channel blocks, but channels = 20 needs 2", Error([1, 1, 6, 4, 16], "ReorderOutput", [NodeAttribute.Of("channels", 20L)]).Message);

    [Theory]
    [InlineData(0L)]
    [InlineData(-3L)]
    public void ReorderOutputNonPositiveChannelsIsAnError(long c) =>
        Assert.Contains($"attribute channels must be positive, got {c}", Error([1, 1, 6, 4, 16], "ReorderOutput", c == 0 ? [] : [NodeAttribute.Of("channels", c)]).Message);

    private static NodeAttribute[] Conv(int stride, int pad, int group = 1) =>
    [
        NodeAttribute.Of("strides", new long[] { stride, stride }), NodeAttribute.Of("pads", new long[] { pad, pad, pad, pad }), NodeAttribute.Of("group", (long)group),
    ];

    [Fact]
    public void NchwcConvOutputShapes()
    {
        // Blocked X, 3x3 s2 pad 1: 20 channels in two blocks → 40 channels in three.
        Assert.Equal(new Shape(s_batch, 3, 8, 5, 16), Infer([s_batch, 2, 15, 9, 16], "NchwcConv", Conv(2, 1), [40, 20, 3, 3]));

        // NCHW first layer: 7x7 s2 pad 3 on 224 x 224.
        Assert.Equal(new Shape(1, 4, 112, 112, 16), Infer([1, 3, 224, 224], "NchwcConv", Conv(2, 3), [64, 3, 7, 7]));

        // Depthwise, 1x1, asymmetric pads and dilation.
        Assert.Equal(new Shape(2, 2, 7, 7, 16), Infer([2, 2, 7, 7, 16], "NchwcConv", Conv(1, 1, 32), [32, 1, 3, 3]));
        Assert.Equal(new Shape(2, 1, 4, 4, 16), Infer([2, 3, 7, 7, 16], "NchwcConv", Conv(2, 0), [16, 48, 1, 1]));
        Assert.Equal(new Shape(1, 1, 6, 6, 16), Infer([1, 1, 6, 6, 16], "NchwcConv", [NodeAttribute.Of("pads", new long[] { 0, 1, 1, 0 })], [16, 16, 2, 2]));
        Assert.Equal(new Shape(1, 1, 6, 6, 16), Infer([1, 1, 6, 6, 16], "NchwcConv", [NodeAttribute.Of("pads", new long[] { 2, 2, 2, 2 }), NodeAttribute.Of("dilations", new long[] { 2, 2 })], [16, 16, 3, 3]));
    }

    [Fact]
    public void NchwcConvOfWrongRankIsAnError()
    {
        Assert.Contains("must be blocked [N, C/16, H, W, 16] or [N, C, H, W], got shape [1,16,5]", Error([1, 16, 5], "NchwcConv", [], [16, 16, 1, 1]).Message);
        Assert.Contains("must be blocked [N, C/16, H, W, 16], got shape [1,1,5,5,8]", Error([1, 1, 5, 5, 8], "NchwcConv", [], [16, 16, 1, 1]).Message);
        Assert.Contains("weight W must be [M, C/group, KH, KW], got shape [16,16]", Error([1, 1, 5, 5, 16], "NchwcConv", [], [16, 16]).Message);
    }

    [Fact]
    public void NchwcConvWindowLargerThanThePaddedInputIsAnError() =>
        Assert.Contains("does not fit input", Error([1, 1, 2, 2, 16], "NchwcConv", [], [16, 16, 3, 3]).Message);

    [Theory]
    [InlineData("MaxPool", 3, 2, 1, 0L, 56, 28)]
    [InlineData("MaxPool", 3, 2, 0, 1L, 13, 6)]
    [InlineData("MaxPool", 3, 2, 0, 0L, 13, 6)]
    [InlineData("MaxPool", 3, 2, 0, 1L, 14, 7)]
    [InlineData("AveragePool", 2, 2, 0, 0L, 9, 4)]
    public void NchwcPoolWindowed(string pool, int k, int s, int pad, long ceil, int input, int output)
    {
        NodeAttribute[] attrs =
        [
            NodeAttribute.Of("pool_type", pool), NodeAttribute.Of("kernel_shape", new long[] { k, k }), NodeAttribute.Of("strides", new long[] { s, s }),
            NodeAttribute.Of("pads", new long[] { pad, pad, pad, pad }), NodeAttribute.Of("ceil_mode", ceil),
        ];
        Assert.Equal(new Shape(s_batch, 2, output, output, 16), Infer([s_batch, 2, input, input, 16], "NchwcPool", attrs));
    }

    [Theory]
    [InlineData("GlobalAveragePool")]
    [InlineData("GlobalMaxPool")]
    public void NchwcPoolGlobal(string pool) =>
        Assert.Equal(new Shape(s_batch, 80, 1, 1, 16), Infer([s_batch, 80, 7, 7, 16], "NchwcPool", [NodeAttribute.Of("pool_type", pool)]));

    [Fact]
    public void NchwcPoolErrors()
    {
        Assert.Contains("pool_type must be MaxPool, AveragePool, GlobalAveragePool or GlobalMaxPool, got 'LpPool'", Error([1, 1, 4, 4, 16], "NchwcPool", [NodeAttribute.Of("pool_type", "LpPool")]).Message);
        Assert.Contains("got ''", Error([1, 1, 4, 4, 16], "NchwcPool", []).Message);
        Assert.Contains("must be blocked [N, C/16, H, W, 16], got shape [1,16,4,4]", Error([1, 16, 4, 4], "NchwcPool", [NodeAttribute.Of("pool_type", "GlobalMaxPool")]).Message);
        Assert.Contains("kernel_shape", Error([1, 1, 4, 4, 16], "NchwcPool", [NodeAttribute.Of("pool_type", "MaxPool")]).Message);
    }

    /// <summary>NchwcExpandDepthwise: X, W1 [E, C, 1, 1], no B1, W2 [E, 1, K, K] (input 3), the depthwise's attributes.</summary>
    private static Shape InferExpandDepthwise(Dim[] x, Dim[] w1, Dim[] w2, params NodeAttribute[] attrs)
    {
        var model = new ModelBuilder().Opset(Domain, 1).Input("x", DataType.Float32, x).Input("w1", DataType.Float32, w1).Input("w2", DataType.Float32, w2)
            .NodeInDomain(Domain, "NchwcExpandDepthwise", ["x", "w1", "", "w2"], ["y"], attrs).Output("y").Build();
        ShapeInferencer.Run(model, new ShapeInferenceOptions { Strict = true });
        return ((TensorTypeInfo)model.Graph.ValueInfos["y"].Type!).Shape!;
    }

    [Fact]
    public void ExpandDepthwiseTakesTheDepthwiseGeometry()
    {
        Assert.Equal(
            new Shape(s_batch, 6, 56, 56, 16),
            InferExpandDepthwise([s_batch, 1, 112, 112, 16], [96, 16, 1, 1], [96, 1, 3, 3], NodeAttribute.Of("strides", new long[] { 2, 2 }), NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 })));
        Assert.Equal(
            new Shape(2, 9, 28, 28, 16),
            InferExpandDepthwise([2, 2, 28, 28, 16], [144, 24, 1, 1], [144, 1, 5, 5], NodeAttribute.Of("pads", new long[] { 2, 2, 2, 2 })));
    }

    [Fact]
    public void ExpandDepthwiseOfBadShapesIsAnError()
    {
        Assert.Contains(
            "weights W1 [E, C, 1, 1] and W2 [E, 1, K, K] expected, got shapes [96,16,1] and [96,1,3,3]",
            Assert.Throws<ShapeInferenceException>(() => InferExpandDepthwise([1, 1, 8, 8, 16], [96, 16, 1], [96, 1, 3, 3])).Message);
        Assert.Contains(
            "must be blocked [N, C/16, H, W, 16], got shape [1,16,8,8]",
            Assert.Throws<ShapeInferenceException>(() => InferExpandDepthwise([1, 16, 8, 8], [96, 16, 1, 1], [96, 1, 3, 3])).Message);
    }
}
