using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

[OpTest("FusedConv", "ai.autoglm")]
public sealed class FusedConvTests
{
    [Theory]
    [MemberData(nameof(Unfused.Activations), MemberType = typeof(Unfused))]
    public void MatchesConvAddActivation(string activation, float[] p)
    {
        var x = Unfused.Random(1, 2, 4, 6, 5);
        var w = Unfused.Random(2, 6, 2, 3, 3);
        var b = Unfused.Random(3, 6);
        var z = Unfused.Random(4, 2, 6, 3, 3);
        NodeAttribute[] attrs = [NodeAttribute.Of("group", 2L), NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }), NodeAttribute.Of("strides", new long[] { 2, 2 })];
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, 2, 4, 6, 5).Input("z", DataType.Float32, 2, 6, 3, 3).Initializer("w", w).Initializer("b", b)
                .Node("Conv", ["x", "w", "b"], ["c"], attrs).Node("Add", ["c", "z"], ["s"]).Activation(activation, p, "s", "y").Output("y"),
            "y", ("x", x), ("z", z));
        var tester = new OpTester("FusedConv", 1, "ai.autoglm").Input(x).ConstantInput(w).ConstantInput(b).Input(z).WithActivation(activation, p);
        foreach (var a in attrs)
        {
            tester.Attribute(a);
        }

        TensorAssert.Close(expected, tester.RunSingle(), 1e-4, 1e-5);
    }

    /// <summary>
    /// The epilogue (bias, residual, clamp or post-op activation) on every convolution path: depthwise fast path at
    /// column strides 1 and 2 (row groups and partial vectors), depthwise tap-interval path, pointwise GEMM (panels read
    /// in place plus a packed tail), im2col and slabbed im2col.
    /// </summary>
    [Theory]
    [InlineData("dw-s1", 1, 6, 21, 37, 6, 3, 1, 6, 1)]
    [InlineData("dw-s2", 1, 5, 22, 35, 5, 3, 2, 5, 1)]
    [InlineData("dw-dilated", 2, 3, 11, 19, 3, 3, 1, 3, 2)]
    [InlineData("dw-narrow-rows", 2, 6, 14, 14, 6, 3, 1, 6, 1)]
    [InlineData("dw-channels", 2, 35, 7, 7, 35, 3, 1, 35, 1)]
    [InlineData("dw-channels-s2", 1, 18, 14, 14, 18, 5, 2, 18, 1)]
    [InlineData("pointwise", 2, 7, 7, 7, 33, 1, 1, 1, 1)]
    [InlineData("im2col", 1, 4, 9, 10, 10, 3, 1, 1, 1)]
    [InlineData("slabs", 1, 16, 44, 45, 20, 3, 1, 1, 1)]
    [InlineData("1x1-spatial", 3, 24, 1, 1, 40, 1, 1, 1, 1)]
    [InlineData("transposed-pointwise", 2, 40, 7, 7, 256, 1, 1, 1, 1)]
    [InlineData("transposed-im2col", 1, 16, 7, 7, 272, 3, 1, 1, 1)]
    public void EpilogueMatchesOnEveryConvolutionPath(string path, int n, int c, int h, int w, int m, int k, int stride, int group, int dilation)
    {
        Assert.NotEmpty(path);
        foreach (var (activation, p) in new (string, float[])[] { ("Relu", []), ("Clip", [-0.25f, 0.5f]), ("SiLU", []) })
        {
            var x = Unfused.Random(11, n, c, h, w);
            var wt = Unfused.Random(12, m, c / group, k, k);
            var b = Unfused.Random(13, m);
            NodeAttribute[] attrs =
            [
                NodeAttribute.Of("group", (long)group), NodeAttribute.Of("pads", new long[] { k / 2, k / 2, k / 2, k / 2 }),
                NodeAttribute.Of("strides", new long[] { stride, stride }), NodeAttribute.Of("dilations", new long[] { dilation, dilation }),
            ];
            int oh = ((h + (2 * (k / 2)) - (dilation * (k - 1)) - 1) / stride) + 1;
            int ow = ((w + (2 * (k / 2)) - (dilation * (k - 1)) - 1) / stride) + 1;
            var z = Unfused.Random(14, n, m, oh, ow);
            var expected = Unfused.Run(
                new ModelBuilder().Input("x", DataType.Float32, n, c, h, w).Input("z", DataType.Float32, n, m, oh, ow).Initializer("w", wt).Initializer("b", b)
                    .Node("Conv", ["x", "w", "b"], ["c"], attrs).Node("Add", ["c", "z"], ["s"]).Activation(activation, p, "s", "y").Output("y"),
                "y", ("x", x), ("z", z));
            var tester = new OpTester("FusedConv", 1, "ai.autoglm").Input(x).ConstantInput(wt).ConstantInput(b).Input(z).WithActivation(activation, p);
            foreach (var a in attrs)
            {
                tester.Attribute(a);
            }

            TensorAssert.Close(expected, tester.RunSingle(), 1e-4, 1e-5);
        }
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(1, 1)]
    public void FusedReluAndClipPropagateNaN(int k, int group)
    {
        var x = Unfused.Random(21, 1, 2, 6, 20);
        x.Span[7] = float.NaN;
        var wt = Unfused.Random(22, 2, 2 / group, k, k);
        foreach (string activation in new[] { "Relu", "Clip" })
        {
            var y = (Tensor<float>)new OpTester("FusedConv", 1, "ai.autoglm").Input(x).ConstantInput(wt).Attr("group", (long)group)
                .Attr("pads", new long[] { k / 2, k / 2, k / 2, k / 2 }).WithActivation(activation, activation == "Clip" ? [0f, 1f] : []).RunSingle();
            Assert.True(float.IsNaN(y.Span[7]), $"{activation}: output at the NaN input is {y.Span[7]}");
        }
    }

    [Fact]
    public void WithoutBiasOrResidual()
    {
        var x = Unfused.Random(5, 1, 3, 4, 4);
        var w = Unfused.Random(6, 2, 3, 1, 1);
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, 1, 3, 4, 4).Initializer("w", w).Node("Conv", ["x", "w"], ["c"]).Node("Relu", ["c"], ["y"]).Output("y"),
            "y", ("x", x));
        TensorAssert.Close(expected, new OpTester("FusedConv", 1, "ai.autoglm").Input(x).ConstantInput(w).Attr("activation", "Relu").RunSingle(), 1e-5, 1e-6);
    }

    [Fact]
    public void ResidualOfWrongShapeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("FusedConv", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 1, 2, 3, 3)).ConstantInput(Unfused.Random(2, 2, 2, 1, 1)).Input(null).Input(Unfused.Random(3, 1, 2, 3, 2)).RunSingle());
        Assert.Contains("residual Z", ex.Message);
    }

    [Fact]
    public void NonFloat32InputIsAnError()
    {
        var x = Tensor.Create(new double[18], [1, 2, 3, 3]);
        var w = Tensor.Create(new double[4], [2, 2, 1, 1]);
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("FusedConv", 1, "ai.autoglm").Input(x).ConstantInput(w).Attr("activation", "Relu").RunSingle());
        Assert.Contains("float64", ex.Message);
        Assert.Contains("FusedConv", ex.Message);
    }

    [Fact]
    public void UnknownActivationIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("FusedConv", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 1, 2, 3, 3)).ConstantInput(Unfused.Random(2, 2, 2, 1, 1)).Attr("activation", "Swish").RunSingle());
        Assert.Contains("unknown activation 'Swish'", ex.Message);
    }

    [Fact]
    public void WrongActivationParameterCountIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("FusedConv", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 1, 2, 3, 3)).ConstantInput(Unfused.Random(2, 2, 2, 1, 1)).Attr("activation", "LeakyRelu").Attr("activation_params", new[] { 1f, 2f }).RunSingle());
        Assert.Contains("takes 1 activation_params", ex.Message);
    }
}
