using OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;
using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>
/// NchwcConv's Winograd F(2x2, 3x3) path (3x3, stride 1) against the unfused ONNX Conv + Add + activation, with the
/// tensors blocked and unblocked by plain loops (<see cref="Nchwc"/>, padded input lanes non-zero); and the path switched off against the direct kernel.
/// </summary>
public sealed class NchwcWinogradTests
{
    /// <summary>Odd and even planes, pads 0 / 1 / asymmetric, C and M not multiples of 16 (M = 40: a last pair of one block), batch 2, several tile blocks.</summary>
    [Theory]
    [InlineData(1, 16, 32, 14, 14, new long[] { 1, 1, 1, 1 }, "SiLU")]
    [InlineData(2, 20, 40, 7, 7, new long[] { 1, 1, 1, 1 }, "Relu")]
    [InlineData(2, 20, 40, 7, 7, new long[] { 0, 0, 0, 0 }, "Relu")]
    [InlineData(1, 33, 17, 5, 9, new long[] { 1, 1, 1, 1 }, "")]
    [InlineData(1, 33, 17, 5, 9, new long[] { 0, 0, 0, 0 }, "SiLU")]
    [InlineData(2, 5, 3, 1, 1, new long[] { 1, 1, 1, 1 }, "Relu")]
    [InlineData(1, 24, 48, 6, 11, new long[] { 0, 1, 2, 0 }, "Clip")]
    [InlineData(2, 64, 64, 20, 20, new long[] { 1, 1, 1, 1 }, "Relu")]
    public void MatchesUnfusedConv(int n, int c, int m, int h, int w, long[] pads, string activation)
    {
        float[] p = activation == "Clip" ? [-0.5f, 1.5f] : [];
        int oh = h + (int)(pads[0] + pads[2]) - 2, ow = w + (int)(pads[1] + pads[3]) - 2;
        var x = Unfused.Random(31, n, c, h, w);
        var wt = Unfused.Random(32, m, c, 3, 3);
        var b = Unfused.Random(33, m);
        var z = Unfused.Random(34, n, m, oh, ow);
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, n, c, h, w).Input("z", DataType.Float32, n, m, oh, ow).Initializer("w", wt).Initializer("b", b)
                .Node("Conv", ["x", "w", "b"], ["c"], NodeAttribute.Of("pads", pads)).Node("Add", ["c", "z"], ["s"]).Activation(activation, p, "s", "y").Output("y"),
            "y", ("x", x), ("z", z));
        var y = RunBlocked(true, x, wt, b, z, pads, activation, p);
        TensorAssert.Close(expected, y, 1e-4, 1e-4);
    }

    /// <summary>The kernel called directly (so the Winograd path surely runs) on two threads: residual and the SiLU post-op.</summary>
    [Fact]
    public void KernelMatchesUnfusedConv()
    {
        const int n = 2, c = 24, m = 40, h = 9, w = 10;
        var x = Unfused.Random(61, n, c, h, w);
        var wt = Unfused.Random(62, m, c, 3, 3);
        var b = Unfused.Random(63, m);
        var z = Unfused.Random(64, n, m, h, w);
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, n, c, h, w).Input("z", DataType.Float32, n, m, h, w).Initializer("w", wt).Initializer("b", b)
                .Node("Conv", ["x", "w", "b"], ["c"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 })).Node("Add", ["c", "z"], ["s"]).Activation("SiLU", [], "s", "y").Output("y"),
            "y", ("x", x), ("z", z));
        var g = new NchwcGeometry(n, c, h, w, m, h, w, 3, 3, 1, 1, 1, 1, 1, 1);
        Assert.True(NchwcWinograd.Fits(g));
        var weights = new NchwcWinogradWeights(wt.Span, b.Span, m, c);
        var xb = Nchwc.ToBlocked(x, 0.5f);
        var zb = Nchwc.ToBlocked(z, 0.25f);
        var y = new float[n * NchwcLayout.Blocks(m) * h * w * 16];
        NchwcWinograd.Run(g, weights, xb.Span, y, zb.Span, default, FusedActivation.Of("SiLU"), 2);

        TensorAssert.Close(expected, Nchwc.ToNchw(Tensor.Create(y, [n, NchwcLayout.Blocks(m), h, w, 16]), m), 1e-4, 1e-4);
    }

    /// <summary>The measured routing: ResNet-50's 3x3 stride-1 layers take Winograd; a 1x1 plane, or under 4 tiles per thread, stays direct.</summary>
    [Theory]
    [InlineData(1, 64, 56, 1, true)]
    [InlineData(1, 512, 7, 2, true)]
    [InlineData(8, 512, 7, 2, true)]
    [InlineData(1, 256, 3, 1, true)]
    [InlineData(1, 256, 3, 2, false)]
    [InlineData(1, 256, 1, 1, false)]
    [InlineData(4, 256, 1, 1, false)]
    public void RoutesWhereWinogradMeasuredFaster(int n, int c, int hw, int threads, bool winograd)
    {
        var g = new NchwcGeometry(n, c, hw, hw, c, hw, hw, 3, 3, 1, 1, 1, 1, 1, 1);
        Assert.Equal(winograd, NchwcWinograd.Wins(g, threads));
        Assert.False(NchwcWinograd.Fits(g with { StrideH = 2, StrideW = 2 }));
        Assert.False(NchwcWinograd.Fits(g with { DilationH = 2 }));
    }

    [Fact]
    public void WithoutBiasOrResidual()
    {
        var x = Unfused.Random(41, 1, 18, 8, 9);
        var wt = Unfused.Random(42, 30, 18, 3, 3);
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, 1, 18, 8, 9).Initializer("w", wt).Node("Conv", ["x", "w"], ["y"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 })).Output("y"),
            "y", ("x", x));
        TensorAssert.Close(expected, RunBlocked(true, x, wt, null, null, [1, 1, 1, 1], string.Empty, []), 1e-4, 1e-4);
    }

    [Fact]
    public void SwitchedOffGivesTheDirectResult()
    {
        var x = Unfused.Random(51, 2, 40, 14, 14);
        var wt = Unfused.Random(52, 72, 40, 3, 3);
        var b = Unfused.Random(53, 72);
        var z = Unfused.Random(54, 2, 72, 14, 14);
        var winograd = RunBlocked(true, x, wt, b, z, [1, 1, 1, 1], "Relu", []);
        var direct = RunBlocked(false, x, wt, b, z, [1, 1, 1, 1], "Relu", []);
        TensorAssert.Close(direct, winograd, 1e-4, 1e-4);
    }

    /// <summary>Runs NchwcConv on the blocked X (and Z) with the Winograd path forced on or off; returns Y unblocked.</summary>
    private static Tensor<float> RunBlocked(bool winograd, Tensor<float> x, Tensor<float> wt, Tensor<float>? b, Tensor<float>? z, long[] pads, string activation, float[] p)
    {
        var saved = NchwcWinograd.Enabled;
        NchwcWinograd.Enabled = winograd;
        try
        {
            var tester = new OpTester("NchwcConv", 1, "ai.autoglm").Input(Nchwc.ToBlocked(x, 0.5f)).ConstantInput(wt);
            tester = b is null ? tester.Input(null) : tester.ConstantInput(b);
            tester.Input(z is null ? null : Nchwc.ToBlocked(z, 0.25f)).Attr("pads", pads).WithActivation(activation, p);
            var y = tester.RunSingle();
            Nchwc.AssertPaddedLanesFinite(y, wt.Dims[0]);
            return Nchwc.ToNchw(y, wt.Dims[0]);
        }
        finally
        {
            NchwcWinograd.Enabled = saved;
        }
    }
}
