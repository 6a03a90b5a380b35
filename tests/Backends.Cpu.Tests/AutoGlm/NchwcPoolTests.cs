using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>ai.autoglm NchwcPool against the ONNX pool run on NCHW (input blocked and output unblocked by plain loops).</summary>
[OpTest("NchwcPool", "ai.autoglm")]
public sealed class NchwcPoolTests
{
    private static void Check(string pool, int n, int c, int h, int w, params NodeAttribute[] attrs)
    {
        var x = Unfused.Random(h * 31 + c, n, c, h, w);
        var expected = (Tensor<float>)Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, n, c, h, w).Node(pool, ["x"], ["y"], attrs).Output("y"), "y", ("x", x));
        var tester = new OpTester("NchwcPool", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(Nchwc.ToBlocked(x)).Attr("pool_type", pool);
        foreach (var a in attrs)
        {
            tester.Attribute(a);
        }

        var blocked = tester.RunSingle();
        Assert.Equal(new[] { n, Nchwc.Blocks(c), expected.Dims[2], expected.Dims[3], Nchwc.Block }, blocked.Dims.ToArray());
        TensorAssert.Close(expected, Nchwc.ToNchw(blocked, c), 1e-5, 1e-6);
        Nchwc.AssertPaddedLanesFinite(blocked, c);
    }

    private static NodeAttribute[] Window(int k, int s, int pad = 0, long ceil = 0) =>
    [
        NodeAttribute.Of("kernel_shape", new long[] { k, k }), NodeAttribute.Of("strides", new long[] { s, s }),
        NodeAttribute.Of("pads", new long[] { pad, pad, pad, pad }), NodeAttribute.Of("ceil_mode", ceil),
    ];

    [Theory]
    [InlineData(1, 16, 14, 14)]
    [InlineData(2, 20, 15, 16)]
    [InlineData(1, 64, 56, 56)]
    public void MaxPool3x3Stride2Pad1(int n, int c, int h, int w) => Check("MaxPool", n, c, h, w, Window(3, 2, 1));

    [Theory]
    [InlineData(16)]
    [InlineData(20)]
    [InlineData(96)]
    public void MaxPoolCeilModeOn13x13(int c) => Check("MaxPool", 1, c, 13, 13, Window(3, 2, 0, ceil: 1));

    [Theory]
    [InlineData(5, 2, 2, 1)]
    [InlineData(6, 2, 2, 1)]
    [InlineData(7, 3, 3, 1)]
    [InlineData(8, 3, 2, 0)]
    [InlineData(1, 3, 2, 1)]
    public void MaxPoolCeilModeWithPads(int size, int k, int s, int pad) => Check("MaxPool", 1, 20, size, size + 1, Window(k, s, pad, ceil: 1));

    [Fact]
    public void MaxPoolAsymmetricPadsAndStrides() => Check("MaxPool", 2, 32, 9, 11,
        NodeAttribute.Of("kernel_shape", new long[] { 3, 2 }), NodeAttribute.Of("strides", new long[] { 2, 1 }), NodeAttribute.Of("pads", new long[] { 0, 1, 1, 0 }));

    [Theory]
    [InlineData("MaxPool")]
    [InlineData("AveragePool")]
    public void SameUpperAndValid(string pool)
    {
        if (pool == "MaxPool")
        {
            Check(pool, 1, 16, 9, 10, NodeAttribute.Of("kernel_shape", new long[] { 3, 3 }), NodeAttribute.Of("strides", new long[] { 2, 2 }), NodeAttribute.Of("auto_pad", "SAME_UPPER"));
        }

        Check(pool, 1, 16, 9, 10, NodeAttribute.Of("kernel_shape", new long[] { 3, 3 }), NodeAttribute.Of("strides", new long[] { 2, 2 }), NodeAttribute.Of("auto_pad", "VALID"));
    }

    [Fact]
    public void MaxPoolLargeParallel() => Check("MaxPool", 2, 64, 112, 112, Window(3, 2, 1));

    [Fact]
    public void MaxPoolOfNegativeValuesWithPaddingIgnoresThePadding()
    {
        // All inputs negative: a window over the padding must not produce 0.
        var x = Nchwc.Uniform(3, -2f, -1f, 1, 20, 5, 5);
        var expected = Unfused.Run(new ModelBuilder().Input("x", DataType.Float32, 1, 20, 5, 5).Node("MaxPool", ["x"], ["y"], Window(3, 2, 1)).Output("y"), "y", ("x", x));
        var tester = new OpTester("NchwcPool", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(Nchwc.ToBlocked(x)).Attr("pool_type", "MaxPool");
        foreach (var a in Window(3, 2, 1))
        {
            tester.Attribute(a);
        }

        TensorAssert.Close(expected, Nchwc.ToNchw(tester.RunSingle(), 20), 0, 0);
    }

    [Fact]
    public void MaxPoolDilated() =>
        Check("MaxPool", 1, 20, 9, 10, [.. Window(2, 1), NodeAttribute.Of("dilations", new long[] { 2, 2 })]);

    [Theory]
    [InlineData(1, 16, 8, 8)]
    [InlineData(2, 20, 9, 11)]
    public void AveragePool2x2Stride2(int n, int c, int h, int w) => Check("AveragePool", n, c, h, w, Window(2, 2));

    [Fact]
    public void AveragePool3x3Stride1() => Check("AveragePool", 1, 36, 7, 6, Window(3, 1));

    [Theory]
    [InlineData("GlobalAveragePool", 1, 16, 7, 7)]
    [InlineData("GlobalAveragePool", 2, 20, 5, 9)]
    [InlineData("GlobalAveragePool", 1, 1280, 7, 7)]
    [InlineData("GlobalAveragePool", 1, 20, 1, 1)]
    [InlineData("GlobalMaxPool", 1, 16, 7, 7)]
    [InlineData("GlobalMaxPool", 2, 20, 13, 3)]
    public void GlobalPools(string pool, int n, int c, int h, int w) => Check(pool, n, c, h, w);

    [Theory]
    [InlineData("MaxPool")]
    [InlineData("AveragePool")]
    [InlineData("GlobalMaxPool")]
    [InlineData("GlobalAveragePool")]
    public void NaNPropagatesLikeTheOnnxPool(string pool)
    {
        var x = Unfused.Random(5, 1, 20, 6, 7);
        x.Span[(3 * 42) + 8] = float.NaN;  // channel 3, pixel (1, 1)
        x.Span[(17 * 42) + 0] = float.NaN; // channel 17 (second block), pixel (0, 0)
        NodeAttribute[] attrs = pool.StartsWith("Global", StringComparison.Ordinal) ? [] : Window(2, 2);
        var expected = Unfused.Run(new ModelBuilder().Input("x", DataType.Float32, 1, 20, 6, 7).Node(pool, ["x"], ["y"], attrs).Output("y"), "y", ("x", x));
        var tester = new OpTester("NchwcPool", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(Nchwc.ToBlocked(x)).Attr("pool_type", pool);
        foreach (var a in attrs)
        {
            tester.Attribute(a);
        }

        var actual = Nchwc.ToNchw(tester.RunSingle(), 20);
        Assert.True(float.IsNaN(((Tensor<float>)expected).Span[actual.Dims[2] * actual.Dims[3] * 3]), "oracle: the window over the NaN is NaN");
        TensorAssert.Close(expected, actual, 1e-5, 1e-6);
    }

    [Fact]
    public void UnknownPoolTypeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("NchwcPool", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, 1, 4, 4, 16)).Attr("pool_type", "LpPool").Attr("kernel_shape", new long[] { 2, 2 }).RunSingle());
        Assert.Contains("pool_type must be MaxPool, AveragePool, GlobalAveragePool or GlobalMaxPool, got 'LpPool'", ex.Message);
    }

    [Fact]
    public void MissingPoolTypeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("NchwcPool", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, 1, 4, 4, 16)).Attr("kernel_shape", new long[] { 2, 2 }).RunSingle());
        Assert.Contains("got ''", ex.Message);
    }

    [Fact]
    public void AveragePoolWithPadsIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => new OpTester("NchwcPool", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, 1, 4, 4, 16)).Attr("pool_type", "AveragePool").Attr("kernel_shape", new long[] { 3, 3 })
            .Attr("pads", new long[] { 1, 1, 1, 1 }).RunSingle());
        Assert.Contains("NchwcPool", ex.Message);
        Assert.Contains("supports no padding", ex.Message);
    }

    [Fact]
    public void AveragePoolWithCeilModeIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => new OpTester("NchwcPool", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, 1, 5, 5, 16)).Attr("pool_type", "AveragePool").Attr("kernel_shape", new long[] { 2, 2 })
            .Attr("strides", new long[] { 2, 2 }).Attr("ceil_mode", 1L).RunSingle());
        Assert.Contains("supports no padding", ex.Message);
    }

    [Fact]
    public void NchwInputIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("NchwcPool", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, 16, 4, 4)).Attr("pool_type", "GlobalMaxPool").RunSingle());
        Assert.Contains("[1,16,4,4]", ex.Message);
        Assert.Contains("blocked", ex.Message);
    }

    [Fact]
    public void MaxPoolWithoutKernelShapeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("NchwcPool", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, 1, 4, 4, 16)).Attr("pool_type", "MaxPool").RunSingle());
        Assert.Contains("kernel_shape", ex.Message);
    }
}
