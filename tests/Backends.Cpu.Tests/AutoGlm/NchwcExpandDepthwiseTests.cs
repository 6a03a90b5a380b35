using OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;
using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>
/// ai.autoglm NchwcExpandDepthwise (a 1x1 convolution and the depthwise convolution reading it, in bands of rows)
/// against the unfused ONNX Conv + activation + depthwise Conv + activation; the band driver called directly with
/// small bands (rows carried from band to band, chunks starting mid-image), and the op on both of its paths.
/// </summary>
[OpTest("NchwcExpandDepthwise", "ai.autoglm")]
public sealed class NchwcExpandDepthwiseTests
{
    private static Tensor Expected(
        Tensor<float> x, Tensor<float> w1, Tensor<float>? b1, Tensor<float> w2, Tensor<float>? b2, int stride, long[] pads, string expandAct, float[] expandP, string act, float[] p)
    {
        int n = x.Dims[0], c = x.Dims[1], h = x.Dims[2], w = x.Dims[3], e = w1.Dims[0];
        var builder = new ModelBuilder().Input("x", DataType.Float32, n, c, h, w).Initializer("w1", w1).Initializer("w2", w2);
        if (b1 is not null)
        {
            builder.Initializer("b1", b1);
        }

        if (b2 is not null)
        {
            builder.Initializer("b2", b2);
        }

        builder.Node("Conv", b1 is null ? ["x", "w1"] : ["x", "w1", "b1"], ["c1"])
            .Activation(expandAct, expandP, "c1", "a1")
            .Node(
                "Conv", b2 is null ? ["a1", "w2"] : ["a1", "w2", "b2"], ["c2"],
                NodeAttribute.Of("group", (long)e), NodeAttribute.Of("strides", new long[] { stride, stride }), NodeAttribute.Of("pads", pads))
            .Activation(act, p, "c2", "y").Output("y");
        return Unfused.Run(builder, "y", ("x", x));
    }

    /// <summary>
    /// Odd planes, stride 1 and 2, 3x3 and 5x5, asymmetric pads, C and E not multiples of 16, batch 2, 1-3 rows per band
    /// (the rows two bands share moved up), one and two threads (a second chunk starts mid-image and computes its
    /// shared rows again).
    /// </summary>
    [Theory]
    [InlineData(1, 16, 96, 23, 17, 3, 2, new long[] { 1, 1, 1, 1 }, 1, 2, "Relu6", "Relu6")]
    [InlineData(1, 24, 144, 21, 12, 3, 1, new long[] { 1, 1, 1, 1 }, 2, 2, "Relu6", "")]
    [InlineData(2, 20, 40, 19, 9, 5, 2, new long[] { 2, 2, 2, 2 }, 1, 2, "SiLU", "SiLU")]
    [InlineData(2, 33, 24, 26, 13, 5, 1, new long[] { 2, 2, 2, 2 }, 3, 1, "SiLU", "Clip")]
    [InlineData(1, 8, 48, 20, 20, 3, 2, new long[] { 0, 0, 1, 1 }, 2, 2, "", "Relu")]
    [InlineData(1, 16, 32, 31, 5, 3, 1, new long[] { 0, 1, 2, 1 }, 1, 2, "Clip", "")]
    [InlineData(3, 16, 16, 6, 40, 3, 2, new long[] { 1, 1, 1, 1 }, 2, 2, "Relu6", "Relu6")]
    [InlineData(1, 16, 64, 40, 9, 3, 2, new long[] { 1, 1, 1, 1 }, 2, 2, "Relu6", "Relu6")]
    public void DriverMatchesUnfusedConvs(int n, int c, int e, int h, int w, int k, int stride, long[] pads, int bandRows, int threads, string expandAct, string act)
    {
        float[] clip = [-0.5f, 1.5f];
        float[] expandP = expandAct == "Clip" ? clip : [], p = act == "Clip" ? clip : [];
        var x = Unfused.Random(41, n, c, h, w);
        var w1 = Unfused.Random(42, e, c, 1, 1);
        var b1 = Unfused.Random(43, e);
        var w2 = Unfused.Random(44, e, 1, k, k);
        var b2 = Unfused.Random(45, e);
        var expected = Expected(x, w1, b1, w2, b2, stride, pads, expandAct, expandP, act, p);

        int oh = ((h + (int)(pads[0] + pads[2]) - k) / stride) + 1, ow = ((w + (int)(pads[1] + pads[3]) - k) / stride) + 1;
        var ge = new NchwcGeometry(n, c, h, w, e, h, w, 1, 1, 1, 1, 1, 1, 0, 0);
        var gd = new NchwcGeometry(n, e, h, w, e, oh, ow, k, k, stride, stride, 1, 1, (int)pads[0], (int)pads[1]);
        var expand = NchwcWeights.Dense(w1.Span, b1.Span, e, c, 1, 1, blockedInput: true);
        var depthwise = NchwcWeights.Depthwise(w2.Span, b2.Span, e, k, k);
        var (expandClamp, expandPost) = Activation(expandAct, expandP);
        var (clamp, post) = Activation(act, p);
        var xb = Nchwc.ToBlocked(x, 0.5f);
        var y = new float[n * Nchwc.Blocks(e) * oh * ow * 16];
        NchwcExpandDepthwiseDriver.Run(ge, expand, expandClamp, expandPost, gd, depthwise, clamp, post, xb.Span, y, threads, bandRows);

        TensorAssert.Close(expected, Nchwc.ToNchw(Tensor.Create(y, [n, Nchwc.Blocks(e), oh, ow, 16]), e), 1e-4, 1e-4);
    }

    /// <summary>The epilogue the op's activation attributes give (FusedActivation.ForGemm) for the names used here.</summary>
    private static (GemmClamp Clamp, GemmPostOp? Post) Activation(string name, float[] p) => name switch
    {
        "" => (default, null),
        "Relu" => (GemmClamp.Between(0f, float.PositiveInfinity), null),
        "Relu6" => (GemmClamp.Between(0f, 6f), null),
        "Clip" => (GemmClamp.Between(p[0], p[1]), null),
        _ => (default, FusedActivation.Of(name)),
    };

    private static OpTester Op(Tensor<float> x, Tensor<float> w1, Tensor<float>? b1, Tensor<float> w2, Tensor<float>? b2, int stride, long[] pads, int threads) =>
        new OpTester("NchwcExpandDepthwise", 1, OpSchemas.AutoGlmDomain)
            .Input(Nchwc.ToBlocked(x, 0.25f)).ConstantInput(w1).Input(null).ConstantInput(w2).Input(null)
            .Attr("strides", new long[] { stride, stride }).Attr("pads", pads).Attr("expand_activation", "Relu6").Attr("activation", "Relu6")
            .Threads(threads);

    /// <summary>
    /// The op on its band path (an expanded tensor of 4.8 MB: MobileNetV2's second block) and on its unfused path (a
    /// small one, run as the two convolutions through a scratch tensor), without biases.
    /// </summary>
    [Theory]
    [InlineData(112, 2, true)]
    [InlineData(24, 2, false)]
    [InlineData(24, 1, false)]
    public void OpMatchesUnfusedConvsOnBothPaths(int hw, int threads, bool bands)
    {
        const int c = 16, e = 96;
        var x = Unfused.Random(51, 1, c, hw, hw);
        var w1 = Unfused.Random(52, e, c, 1, 1);
        var w2 = Unfused.Random(53, e, 1, 3, 3);
        long[] pads = [1, 1, 1, 1];
        int o = ((hw + 2 - 3) / 2) + 1;
        Assert.Equal(bands, NchwcExpandDepthwiseDriver.Pays(new NchwcGeometry(1, e, hw, hw, e, o, o, 3, 3, 2, 2, 1, 1, 1, 1), threads));
        var expected = Expected(x, w1, null, w2, null, 2, pads, "Relu6", [], "Relu6", []);
        var y = Op(x, w1, null, w2, null, 2, pads, threads).RunSingle();
        TensorAssert.Close(expected, Nchwc.ToNchw(y, e), 1e-4, 1e-4);
    }

    /// <summary>
    /// The op's error for X [1, xBlocks, 8, 8, 16], W1 (default [32, 16, 1, 1]), B1 (none by default), W2 [32, 1, k, k],
    /// the given pads and any further attributes.
    /// </summary>
    private static string Error(int xBlocks, int k, long[] pads, int[]? w1 = null, int[]? b1 = null, params NodeAttribute[] attributes)
    {
        var op = new OpTester("NchwcExpandDepthwise", 1, OpSchemas.AutoGlmDomain)
            .Input(Unfused.Random(1, 1, xBlocks, 8, 8, 16)).ConstantInput(Unfused.Random(2, w1 ?? [32, 16, 1, 1]));
        op = b1 is null ? op.Input(null) : op.ConstantInput(Unfused.Random(4, b1));
        op = op.ConstantInput(Unfused.Random(3, 32, 1, k, k)).Input(null).Attr("pads", pads);
        foreach (var a in attributes)
        {
            op = op.Attribute(a);
        }

        return Assert.ThrowsAny<AutoGlmException>(() => op.RunSingle()).Message;
    }

    [Fact]
    public void XWithTheWrongBlockCountIsAnError() =>
        Assert.Contains("X must be float32 [N, 1, H, W, 16]", Error(2, 3, [1, 1, 1, 1]));

    [Fact]
    public void ASevenWideDepthwiseIsAnError() =>
        Assert.Contains("W2 must be float32 [32, 1, K, K] with K 3 or 5", Error(1, 7, [3, 3, 3, 3]));

    [Fact]
    public void PadsAsDeepAsTheKernelAreAnError() =>
        Assert.Contains("each pad must be under the kernel size 3", Error(1, 3, [3, 1, 1, 1]));

    [Fact]
    public void AThreeByThreeExpandIsAnError() =>
        Assert.Contains("W1 must be float32 [E, C, 1, 1]", Error(1, 3, [1, 1, 1, 1], w1: [32, 16, 3, 3]));

    [Fact]
    public void AThreeDimensionalExpandWeightIsAnError() =>
        Assert.Contains("W1 must be float32 [E, C, 1, 1], got float32[32,16,1]", Error(1, 3, [1, 1, 1, 1], w1: [32, 16, 1]));

    [Fact]
    public void ABiasOfTheWrongLengthIsAnError() =>
        Assert.Contains("B1 must be float32 [32]", Error(1, 3, [1, 1, 1, 1], b1: [16]));

    [Fact]
    public void DilationsAreAnError() =>
        Assert.Contains("dilations must be 1", Error(1, 3, [2, 2, 2, 2], attributes: NodeAttribute.Of("dilations", new long[] { 2, 2 })));

    [Fact]
    public void UnequalStridesAreAnError() =>
        Assert.Contains("strides must be [1, 1] or [2, 2]", Error(1, 3, [1, 1, 1, 1], attributes: NodeAttribute.Of("strides", new long[] { 1, 2 })));

    [Fact]
    public void AKernelShapeOtherThanW2sIsAnError() =>
        Assert.Contains("kernel_shape [5,5] does not match W2", Error(1, 3, [1, 1, 1, 1], attributes: NodeAttribute.Of("kernel_shape", new long[] { 5, 5 })));

    [Fact]
    public void AnUnknownExpandActivationIsAnError() =>
        Assert.Contains("unknown expand_activation 'Swish'", Error(1, 3, [1, 1, 1, 1], attributes: NodeAttribute.Of("expand_activation", "Swish")));
}
