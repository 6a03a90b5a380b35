using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>
/// ai.autoglm NchwcConv against the unfused ONNX Conv (+ Add residual + activation) run on NCHW; the op is fed a blocked
/// X and residual (plain-loop reorder, zero padded lanes) and its blocked output is unblocked for the comparison.
/// </summary>
[OpTest("NchwcConv", "ai.autoglm")]
public sealed class NchwcConvTests
{
    /// <summary>One convolution case: X [n, c, h, w], W [m, c / group, kh, kw].</summary>
    internal sealed record Case(int N, int C, int H, int W, int M, int KH, int KW)
    {
        public int Stride { get; init; } = 1;

        public int StrideW { get; init; }

        public long[] Pads { get; init; } = [0, 0, 0, 0];

        public int Dilation { get; init; } = 1;

        public int Group { get; init; } = 1;

        public bool Bias { get; init; } = true;

        public bool Residual { get; init; }

        public string Activation { get; init; } = string.Empty;

        /// <summary>auto_pad instead of pads (SAME_UPPER / SAME_LOWER: OH = ceil(H / stride)).</summary>
        public string AutoPad { get; init; } = string.Empty;

        public bool KernelShape { get; init; }

        /// <summary>
        /// Absolute tolerance: 1e-5, except for sums of C·KH·KW = 576 to 2304 products of values in [-2, 2) (terms up to
        /// 4, |terms| summing to ~1000-3000), where the NCHW and NCHWc summation orders differ by up to ~1e-4 on outputs
        /// near 0 (3 to 74 elements of 6272 to 401408, the same on every run; every other case passes at 1e-5).
        /// </summary>
        public double Atol { get; init; } = 1e-5;

        public float[] Params { get; init; } = [];

        /// <summary>Feed X as NCHW [N, C, H, W] (a first layer) instead of blocked.</summary>
        public bool NchwInput { get; init; }

        /// <summary>Which taps (output channel, kernel row, kernel column) of W keep their random weight; the others are 0 (null: all).</summary>
        public Func<int, int, int, bool>? Taps { get; init; }

        public int SW => StrideW == 0 ? Stride : StrideW;

        public int OH => AutoPad.Length > 0 ? (H + Stride - 1) / Stride : ((H + (int)Pads[0] + (int)Pads[2] - (Dilation * (KH - 1)) - 1) / Stride) + 1;

        public int OW => AutoPad.Length > 0 ? (W + SW - 1) / SW : ((W + (int)Pads[1] + (int)Pads[3] - (Dilation * (KW - 1)) - 1) / SW) + 1;

        public NodeAttribute[] Attributes =>
        [
            NodeAttribute.Of("group", (long)Group), NodeAttribute.Of("strides", new long[] { Stride, SW }), NodeAttribute.Of("dilations", new long[] { Dilation, Dilation }),
            AutoPad.Length > 0 ? NodeAttribute.Of("auto_pad", AutoPad) : NodeAttribute.Of("pads", Pads),
            .. KernelShape ? new[] { NodeAttribute.Of("kernel_shape", new long[] { KH, KW }) } : [],
        ];
    }

    private static Tensor RunAndCompare(Case k, int seed = 1)
    {
        var x = Unfused.Random(seed, k.N, k.C, k.H, k.W);
        var w = Unfused.Random(seed + 1, k.M, k.C / k.Group, k.KH, k.KW);
        if (k.Taps is { } keep)
        {
            var values = w.AsSpan<float>();
            int per = k.C / k.Group;
            for (int o = 0; o < k.M; o++)
            {
                for (int ci = 0; ci < per; ci++)
                {
                    for (int i = 0; i < k.KH; i++)
                    {
                        for (int j = 0; j < k.KW; j++)
                        {
                            if (!keep(o, i, j))
                            {
                                values[((((o * per) + ci) * k.KH) + i) * k.KW + j] = 0f;
                            }
                        }
                    }
                }
            }
        }
        var b = Unfused.Random(seed + 2, k.M);
        var z = Unfused.Random(seed + 3, k.N, k.M, k.OH, k.OW);
        var builder = new ModelBuilder().Input("x", DataType.Float32, k.N, k.C, k.H, k.W).Initializer("w", w);
        string[] convInputs = k.Bias ? ["x", "w", "b"] : ["x", "w"];
        if (k.Bias)
        {
            builder.Initializer("b", b);
        }

        builder.Node("Conv", convInputs, ["c"], k.Attributes);
        var feeds = new List<(string, Tensor)> { ("x", x) };
        if (k.Residual)
        {
            builder.Input("z", DataType.Float32, k.N, k.M, k.OH, k.OW).Node("Add", ["c", "z"], ["s"]);
            feeds.Add(("z", z));
        }
        else
        {
            builder.Node("Identity", ["c"], ["s"]);
        }

        var expected = Unfused.Run(builder.Activation(k.Activation, k.Params, "s", "y").Output("y"), "y", [.. feeds]);

        var tester = new OpTester("NchwcConv", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(k.NchwInput ? x : Nchwc.ToBlocked(x)).ConstantInput(w);
        if (k.Bias)
        {
            tester.ConstantInput(b);
        }
        else if (k.Residual)
        {
            tester.Input(null);
        }

        if (k.Residual)
        {
            tester.Input(Nchwc.ToBlocked(z));
        }

        foreach (var a in k.Attributes)
        {
            tester.Attribute(a);
        }

        var blocked = tester.WithActivation(k.Activation, k.Params).RunSingle();
        Assert.Equal(new[] { k.N, Nchwc.Blocks(k.M), k.OH, k.OW, Nchwc.Block }, blocked.Dims.ToArray());
        TensorAssert.Close(expected, Nchwc.ToNchw(blocked, k.M), 1e-4, k.Atol);
        Nchwc.AssertPaddedLanesFinite(blocked, k.M);
        return blocked;
    }

    private static readonly Dictionary<string, Case> s_dense = new()
    {
        // C = 20, M = 40: padded input and output lanes; 40 channels = one pair of blocks plus a last single block.
        ["3x3-pad1-c20-m40"] = new Case(1, 20, 9, 11, 40, 3, 3) { Pads = [1, 1, 1, 1] },
        ["3x3-s2-residual-relu"] = new Case(2, 32, 10, 9, 48, 3, 3) { Stride = 2, Pads = [1, 1, 1, 1], Residual = true, Activation = "Relu" },
        ["3x3-s2-residual-relu-c20"] = new Case(1, 20, 11, 12, 20, 3, 3) { Stride = 2, Pads = [1, 1, 1, 1], Residual = true, Activation = "Relu" },
        ["1x1-flat-49-pixels"] = new Case(1, 48, 7, 7, 16, 1, 1),
        ["1x1-flat-batch2-residual"] = new Case(2, 48, 7, 7, 33, 1, 1) { Residual = true, Activation = "Clip", Params = [-0.5f, 0.75f] },
        ["1x1-s2"] = new Case(2, 24, 13, 14, 40, 1, 1) { Stride = 2 },

        // C not a multiple of 16 on the flat 1x1 path: the last input block's taps are packed with C mod 16 channels.
        ["1x1-flat-c24"] = new Case(1, 24, 7, 9, 48, 1, 1),
        ["1x1-flat-c40-m144-batch2"] = new Case(2, 40, 5, 6, 144, 1, 1) { Residual = true, Activation = "SiLU" },
        ["3x3-c33-tail1"] = new Case(1, 33, 6, 7, 32, 3, 3) { Pads = [1, 1, 1, 1] },
        ["nchw-c3-3x3-s2-pad1"] = new Case(2, 3, 15, 17, 16, 3, 3) { Stride = 2, Pads = [1, 1, 1, 1], NchwInput = true, Activation = "Relu" },
        ["nchw-c3-7x7-s2-pad3"] = new Case(1, 3, 23, 22, 20, 7, 7) { Stride = 2, Pads = [3, 3, 3, 3], NchwInput = true },
        ["nchw-c5-residual-silu"] = new Case(1, 5, 9, 9, 24, 3, 3) { Pads = [1, 1, 1, 1], NchwInput = true, Residual = true, Activation = "SiLU" },
        ["dilation-2"] = new Case(1, 16, 12, 13, 32, 3, 3) { Pads = [2, 2, 2, 2], Dilation = 2 },
        ["asymmetric-pads"] = new Case(1, 17, 8, 10, 18, 3, 3) { Pads = [0, 1, 1, 0] },
        ["asymmetric-pads-s2"] = new Case(2, 32, 9, 9, 16, 3, 3) { Stride = 2, Pads = [0, 1, 1, 0] },
        ["stride-2x1"] = new Case(1, 16, 8, 9, 16, 3, 3) { Stride = 2, StrideW = 1, Pads = [1, 1, 1, 1] },
        ["3x1-kernel"] = new Case(1, 16, 6, 7, 16, 3, 1) { Pads = [1, 0, 1, 0] },
        ["no-bias"] = new Case(1, 16, 5, 6, 32, 3, 3) { Bias = false, Pads = [1, 1, 1, 1] },
        ["no-bias-residual"] = new Case(1, 16, 5, 6, 32, 3, 3) { Bias = false, Pads = [1, 1, 1, 1], Residual = true },
        ["same-upper-s2"] = new Case(1, 16, 9, 10, 16, 3, 3) { Stride = 2, AutoPad = "SAME_UPPER" },
        ["same-lower-s2-even"] = new Case(1, 20, 8, 8, 24, 4, 4) { Stride = 2, AutoPad = "SAME_LOWER" },
        ["kernel-shape-attribute"] = new Case(1, 16, 6, 6, 16, 3, 3) { Pads = [1, 1, 1, 1], KernelShape = true },
        ["row-stride-3"] = new Case(1, 16, 11, 13, 16, 3, 3) { Stride = 3, StrideW = 1, Pads = [1, 1, 1, 1] },
        ["nchw-row-stride-3"] = new Case(1, 3, 11, 13, 16, 3, 3) { Stride = 3, StrideW = 2, Pads = [1, 1, 1, 1], NchwInput = true },
        ["1x1-padded"] = new Case(1, 16, 5, 5, 16, 1, 1) { Pads = [1, 1, 1, 1] },
        ["large-parallel-64x64-56x56"] = new Case(2, 64, 56, 56, 64, 3, 3) { Pads = [1, 1, 1, 1], Residual = true, Activation = "Relu", Atol = 1e-4 },
        ["1x1-large-parallel"] = new Case(1, 128, 28, 28, 256, 1, 1) { Activation = "HardSwish" },
        ["1x1-stride2-large"] = new Case(1, 64, 28, 28, 128, 1, 1) { Stride = 2 },

        // Strided 1x1 over a blocked input gathers its pixels into a compact copy first (SubsampleStrided): rows only,
        // odd planes with a channel tail, batch 2 with a residual.
        ["1x1-stride-2x1-residual"] = new Case(2, 20, 9, 11, 48, 1, 1) { Stride = 2, StrideW = 1, Residual = true, Activation = "Relu" },
        ["1x1-stride-3x2-c40-batch2"] = new Case(2, 40, 10, 8, 64, 1, 1) { Stride = 3, StrideW = 2, Activation = "SiLU" },
        ["nchw-c1"] = new Case(1, 1, 9, 9, 16, 3, 3) { Pads = [1, 1, 1, 1], NchwInput = true },
        ["nchw-c15-dilated-s2"] = new Case(2, 15, 13, 12, 17, 3, 3) { Stride = 2, Dilation = 2, Pads = [2, 2, 2, 2], NchwInput = true },
        ["nchw-c3-large"] = new Case(1, 3, 112, 112, 32, 3, 3) { Stride = 2, Pads = [1, 1, 1, 1], NchwInput = true, Activation = "Relu6" },
        ["nchw-c16-1x1"] = new Case(1, 16, 5, 5, 16, 1, 1) { NchwInput = true },

        // More NCHW inputs: 2 and 4 channels, no padding (no copy), flat 1x1, batch 3 with the padded copy image by image
        // and a 48-output (pair plus single block) residual, dilation.
        ["nchw-c3-s1-no-pad"] = new Case(1, 3, 9, 14, 32, 3, 3) { NchwInput = true },
        ["nchw-c2-s2"] = new Case(1, 2, 11, 16, 16, 3, 3) { Stride = 2, Pads = [1, 1, 1, 1], NchwInput = true },
        ["nchw-c4-s1-5x5"] = new Case(1, 4, 10, 15, 24, 5, 5) { Pads = [2, 2, 2, 2], NchwInput = true },
        ["nchw-c4-s2-asym"] = new Case(2, 4, 12, 13, 32, 3, 3) { Stride = 2, Pads = [0, 1, 1, 0], NchwInput = true },
        ["nchw-c3-1x1-flat"] = new Case(1, 3, 7, 9, 16, 1, 1) { NchwInput = true, Activation = "Relu" },
        ["nchw-batch3-7x7-s2"] = new Case(3, 3, 19, 21, 48, 7, 7) { Stride = 2, Pads = [3, 3, 3, 3], NchwInput = true, Residual = true, Activation = "Relu" },
        // A single output block over long rows (53 pixels) with a 4-channel input tail, residual and Relu; a flat plane of
        // 300 pixels into one block with a post-op.
        ["3x3-single-block-long-rows-c20"] = new Case(2, 20, 9, 53, 48, 3, 3) { Pads = [1, 1, 1, 1], Residual = true, Activation = "Relu" },
        ["1x1-single-block-flat-silu"] = new Case(1, 32, 10, 30, 16, 1, 1) { Activation = "SiLU" },
        ["nchw-c3-dilated"] = new Case(1, 3, 12, 12, 16, 3, 3) { Dilation = 2, Pads = [2, 2, 2, 2], NchwInput = true },
        ["5x5-kernel-c20"] = new Case(1, 20, 9, 9, 20, 5, 5) { Pads = [2, 2, 2, 2] },
        ["1x7-kernel"] = new Case(1, 16, 9, 9, 16, 1, 7) { Pads = [0, 3, 0, 3] },
        ["window-larger-than-plane"] = new Case(1, 16, 2, 2, 16, 3, 3) { Pads = [1, 1, 1, 1] },

        // Batch > 1: padded copies image by image (shallow layers) or pair-major items (packed weights larger than an image).
        ["batch3-shallow-padded"] = new Case(3, 16, 20, 21, 32, 3, 3) { Pads = [1, 1, 1, 1], Residual = true, Activation = "Relu" },
        ["batch3-deep-pair-major-3x3"] = new Case(3, 256, 7, 7, 272, 3, 3) { Pads = [1, 1, 1, 1], Residual = true, Activation = "Relu", Atol = 2e-4 },
        ["batch3-deep-pair-major-3x3-s2"] = new Case(3, 128, 14, 13, 160, 3, 3) { Stride = 2, Pads = [1, 1, 1, 1], Atol = 2e-4 },
        ["batch3-deep-pair-major-1x1"] = new Case(3, 512, 7, 7, 48, 1, 1) { Activation = "SiLU" },
        ["batch2-deep-no-padding-3x3"] = new Case(2, 160, 9, 9, 64, 3, 3) { Atol = 2e-4 },
    };

    public static TheoryData<string> DenseCases => new(s_dense.Keys);

    /// <summary>
    /// Batch &gt; 1 takes four-block tiles (64 output channels, up to 6 pixels) where four blocks remain, then pairs
    /// and single blocks: every remainder, flat and strided rows, residual and post-op, NCHW input, padding.
    /// </summary>
    private static readonly Dictionary<string, Case> s_quads = new()
    {
        ["quad-1x1-flat-m64"] = new Case(2, 32, 7, 9, 64, 1, 1),
        ["quad-plus-pair-m96-residual-silu"] = new Case(2, 48, 6, 7, 96, 1, 1) { Residual = true, Activation = "SiLU" },
        ["quad-plus-block-m80-3x3-pad"] = new Case(3, 20, 6, 11, 80, 3, 3) { Pads = [1, 1, 1, 1], Activation = "Relu" },
        ["quad-plus-three-blocks-m112-stride2"] = new Case(2, 32, 13, 14, 112, 1, 1) { Stride = 2, Residual = true },
        ["two-quads-m128-3x3-stride2-clip"] = new Case(2, 24, 11, 12, 128, 3, 3) { Stride = 2, Pads = [1, 1, 1, 1], Activation = "Clip", Params = [-0.25f, 0.5f] },
        ["quad-nchw-input-7x7-s2"] = new Case(2, 3, 17, 19, 64, 7, 7) { Stride = 2, Pads = [3, 3, 3, 3], NchwInput = true, Activation = "Relu" },
        ["quad-m40-not-enough-blocks"] = new Case(2, 16, 5, 6, 40, 1, 1),
    };

    public static TheoryData<string> QuadCases => new(s_quads.Keys);

    [Theory]
    [MemberData(nameof(QuadCases))]
    public void FourBlockTilesMatchUnfusedConv(string name) => RunAndCompare(s_quads[name]);

    /// <summary>Four-block tiles of every width 1..6 and the balanced splits of longer rows (batch 2, 64 channels).</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(13)]
    public void FourBlockTilesOfEveryWidth(int width)
    {
        RunAndCompare(new Case(2, 20, 3, width, 64, 3, 3) { Pads = [1, 1, 1, 1] }, seed: width + 300);
        RunAndCompare(new Case(2, 32, 2, width, 64, 1, 1), seed: width + 400);
    }

    /// <summary>
    /// Output channels whose weights are zero outside a smaller window (a merged parallel conv: SqueezeNet's 1x1 expand
    /// zero-padded into the 3x3 one) run as one convolution per window into their blocks of the shared output.
    /// </summary>
    private static readonly Dictionary<string, Case> s_branches = new()
    {
        // Fire module: 64 channels 1x1 (center tap) then 64 channels 3x3, batch 2; the 3x3 branch takes Winograd at 14x14.
        ["fire-1x1-then-3x3"] = new Case(2, 32, 14, 14, 128, 3, 3) { Pads = [1, 1, 1, 1], Activation = "Relu", Taps = (o, i, j) => o >= 64 || (i == 1 && j == 1) },

        // 3x3 first, then one 1x1 block; C = 20 (padded lanes), an odd block count per branch, residual, SiLU post-op.
        ["3x3-then-1x1-odd-blocks-residual"] = new Case(2, 20, 6, 7, 64, 3, 3) { Pads = [1, 1, 1, 1], Residual = true, Activation = "SiLU", Taps = (o, i, j) => o < 48 || (i == 1 && j == 1) },

        // Three windows in a 5x5: 3x3 inner, full, then a 1x3 row; stride 2 (direct path), no bias, batch 3.
        ["5x5-three-windows-stride2"] = new Case(3, 16, 11, 10, 48, 5, 5) { Pads = [2, 2, 2, 2], Stride = 2, Bias = false, Taps = (o, i, j) => o switch
        {
            < 16 => i is >= 1 and <= 3 && j is >= 1 and <= 3,
            < 32 => true,
            _ => i == 2 && j >= 1 && j <= 3,
        } },

        // The 1x1 window would start past the padding (pads 0): the whole kernel runs.
        ["center-only-without-padding"] = new Case(1, 16, 7, 7, 32, 3, 3) { Taps = (o, i, j) => o >= 16 || (i == 1 && j == 1) },

        // A block with no nonzero weight at all keeps the whole window (its output is the bias).
        ["all-zero-block"] = new Case(1, 16, 5, 6, 48, 3, 3) { Pads = [1, 1, 1, 1], Taps = (o, i, j) => o is < 16 or >= 32 && (o < 32 || (i == 1 && j == 1)) },

        // A single window smaller than the kernel for every block: a 3x3 run as 1x1 with pads 0.
        ["every-block-center-only"] = new Case(2, 24, 5, 5, 40, 3, 3) { Pads = [1, 1, 1, 1], Activation = "Relu", Taps = (o, i, j) => i == 1 && j == 1 },
    };

    public static TheoryData<string> BranchCases => new(s_branches.Keys);

    [Theory]
    [MemberData(nameof(BranchCases))]
    public void TapBranchesMatchTheUnfusedConv(string name) => RunAndCompare(s_branches[name]);

    /// <summary>
    /// The zero taps of a branch are not multiplied: an infinite input pixel makes NaN (0 x inf) only where a kept tap
    /// reads it. The 1x1 branch's output next to that pixel stays finite, which the whole 3x3 kernel would not give.
    /// </summary>
    [Fact]
    public void TapBranchesDoNotMultiplyTheirZeroTaps()
    {
        var x = Unfused.Random(5, 1, 16, 6, 6);
        x.AsSpan<float>()[(2 * 6) + 2] = float.PositiveInfinity; // channel 0, pixel (2, 2)
        var w = Unfused.Random(6, 32, 16, 3, 3);
        var wv = w.AsSpan<float>();
        for (int i = 0; i < 16 * 16 * 9; i++)
        {
            if (i % 9 != 4)
            {
                wv[i] = 0f; // output channels 0..15: center tap only
            }
        }

        var y = Nchwc.ToNchw(
            new OpTester("NchwcConv", 1, "ai.autoglm").Input(Nchwc.ToBlocked(x)).ConstantInput(w).Attr("pads", new long[] { 1, 1, 1, 1 }).RunSingle(), 32);
        var yv = y.AsSpan<float>();
        Assert.True(float.IsInfinity(yv[(2 * 6) + 2]) || float.IsNaN(yv[(2 * 6) + 2]), "the 1x1 branch reads the pixel itself");
        Assert.True(float.IsFinite(yv[(2 * 6) + 3]), $"channel 0 at (2, 3) reads (2, 2) only through a zero tap, got {yv[(2 * 6) + 3]}");
        Assert.True(float.IsFinite(yv[(1 * 6) + 2]), "channel 0 at (1, 2) reads (2, 2) only through a zero tap");
        Assert.False(float.IsFinite(yv[(16 * 36) + (2 * 6) + 3]), "the 3x3 branch (channel 16) reads (2, 2) through a kept tap");
    }

    [Fact]
    public void TapBranchesGroupBlocksByTheirWindow()
    {
        // 5 blocks: center only, center only, full, 1x3 row, nothing (takes the full window).
        int m = 72, c = 3;
        var w = new float[m * c * 9];
        for (int o = 0; o < m; o++)
        {
            for (int t = 0; t < 9; t++)
            {
                int i = t / 3, j = t % 3;
                bool keep = o switch
                {
                    < 32 => i == 1 && j == 1,
                    < 48 => true,
                    < 64 => i == 0,
                    _ => false,
                };
                w[(((o * c) + 1) * 9) + t] = keep ? 1f : 0f;
            }
        }

        var bias = Enumerable.Range(0, m).Select(o => (float)o).ToArray();
        var branches = NchwcTapBranches.Find(w, bias, m, c, 3, 3)!;
        Assert.Equal(
            new[] { (0, 32, 1, 1, 1, 1), (2, 16, 0, 0, 3, 3), (3, 16, 0, 0, 1, 3), (4, 8, 0, 0, 3, 3) },
            branches.Items.Select(b => (b.FirstBlock, b.Channels, b.Row0, b.Col0, b.KH, b.KW)).ToArray());
        Assert.Equal(Enumerable.Range(48, 16).Select(o => (float)o), branches.Items[2].Bias);
        Assert.All(branches.Items[0].W.Where((v, i) => (i / 1) % c == 1), v => Assert.Equal(1f, v));

        // Every block using the whole window: no branches.
        Assert.Null(NchwcTapBranches.Find(Enumerable.Repeat(1f, 32 * 2 * 9).ToArray(), [], 32, 2, 3, 3));
        Assert.Null(NchwcTapBranches.Find(Enumerable.Repeat(1f, 32 * 2).ToArray(), [], 32, 2, 1, 1));
    }

    public static TheoryData<string> DepthwiseCases => new(s_depthwise.Keys);

    [Theory]
    [MemberData(nameof(DenseCases))]
    public void DenseMatchesUnfusedConv(string name) => RunAndCompare(s_dense[name]);

    /// <summary>Output rows of every width 1..13 (tiles of 12 pixels and every remainder), blocked and NCHW input.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(25)]
    public void EveryTileWidth(int width)
    {
        RunAndCompare(new Case(1, 20, 3, width, 40, 3, 3) { Pads = [1, 1, 1, 1] }, seed: width);
        RunAndCompare(new Case(2, 32, 2, width, 16, 1, 1), seed: width + 100);
        RunAndCompare(new Case(1, 3, 3, width, 16, 3, 3) { Pads = [1, 1, 1, 1], NchwInput = true }, seed: width + 200);
    }

    private static readonly Dictionary<string, Case> s_depthwise = new()
    {
        ["3x3-s1"] = new Case(1, 32, 9, 10, 32, 3, 3) { Group = 32, Pads = [1, 1, 1, 1] },
        ["3x3-s1-c20"] = new Case(2, 20, 7, 6, 20, 3, 3) { Group = 20, Pads = [1, 1, 1, 1] },
        ["3x3-s2"] = new Case(1, 48, 11, 12, 48, 3, 3) { Group = 48, Stride = 2, Pads = [1, 1, 1, 1] },
        ["3x3-s2-asymmetric"] = new Case(1, 16, 10, 10, 16, 3, 3) { Group = 16, Stride = 2, Pads = [0, 0, 1, 1] },
        ["5x5-pad2"] = new Case(1, 24, 13, 14, 24, 5, 5) { Group = 24, Pads = [2, 2, 2, 2] },
        ["5x5-pad2-s2"] = new Case(2, 16, 14, 15, 16, 5, 5) { Group = 16, Stride = 2, Pads = [2, 2, 2, 2] },
        ["dilated"] = new Case(1, 16, 11, 12, 16, 3, 3) { Group = 16, Dilation = 2, Pads = [2, 2, 2, 2] },
        ["residual-clip"] = new Case(2, 20, 8, 9, 20, 3, 3) { Group = 20, Pads = [1, 1, 1, 1], Residual = true, Activation = "Clip", Params = [-0.25f, 0.5f] },
        ["silu"] = new Case(1, 32, 6, 7, 32, 3, 3) { Group = 32, Pads = [1, 1, 1, 1], Activation = "SiLU" },
        ["narrow-plane-5"] = new Case(1, 16, 5, 5, 16, 3, 3) { Group = 16, Pads = [1, 1, 1, 1], Residual = true, Activation = "Relu" },
        ["narrow-plane-1"] = new Case(1, 16, 1, 1, 16, 3, 3) { Group = 16, Pads = [1, 1, 1, 1] },
        ["narrow-plane-7-s2"] = new Case(1, 16, 7, 7, 16, 3, 3) { Group = 16, Stride = 2, Pads = [1, 1, 1, 1] },
        ["wide-plane-37"] = new Case(1, 16, 4, 37, 16, 3, 3) { Group = 16, Pads = [1, 1, 1, 1], Activation = "Relu6" },
        ["wide-plane-50-s2"] = new Case(2, 32, 5, 50, 32, 3, 3) { Group = 32, Stride = 2, Pads = [1, 1, 1, 1], Residual = true, Activation = "SiLU" },
        ["no-bias"] = new Case(1, 16, 6, 6, 16, 3, 3) { Group = 16, Pads = [1, 1, 1, 1], Bias = false },
        ["same-upper-s2"] = new Case(1, 32, 9, 10, 32, 3, 3) { Group = 32, Stride = 2, AutoPad = "SAME_UPPER" },
        ["stride-3"] = new Case(1, 16, 11, 13, 16, 3, 3) { Group = 16, Stride = 3, Pads = [1, 1, 1, 1] },
        ["stride-2x1"] = new Case(1, 16, 9, 10, 16, 3, 3) { Group = 16, Stride = 2, StrideW = 1, Pads = [1, 1, 1, 1] },
        ["3x5-kernel"] = new Case(1, 16, 8, 9, 16, 3, 5) { Group = 16, Pads = [1, 2, 1, 2] },
        ["7x7-kernel-no-pad"] = new Case(1, 16, 9, 9, 16, 7, 7) { Group = 16 },
        ["window-larger-than-plane"] = new Case(1, 16, 2, 3, 16, 5, 5) { Group = 16, Pads = [2, 2, 2, 2] },
        ["large-parallel-112x112"] = new Case(2, 32, 112, 112, 32, 3, 3) { Group = 32, Pads = [1, 1, 1, 1], Activation = "Relu" },
        ["c1280-7x7"] = new Case(1, 1280, 7, 7, 1280, 3, 3) { Group = 1280, Pads = [1, 1, 1, 1] },
    };

    [Theory]
    [MemberData(nameof(DepthwiseCases))]
    public void DepthwiseMatchesUnfusedConv(string name) => RunAndCompare(s_depthwise[name]);

    /// <summary>
    /// Depthwise plane widths around the register tiles (the sliding tiles of 1 to 8 pixels for 3- and 5-wide kernels;
    /// 8, 4, 2, 1 otherwise) and the padded-plane / row-path boundary (32 wide), with and without padding, strides 1 and 2.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(23)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(34)]
    [InlineData(47)]
    [InlineData(56)]
    public void DepthwiseEveryPlaneWidth(int width)
    {
        RunAndCompare(new Case(2, 20, 4, width, 20, 3, 3) { Group = 20, Pads = [1, 1, 1, 1], Residual = true, Activation = "Relu" }, seed: width);
        RunAndCompare(new Case(1, 32, 5, width, 32, 3, 3) { Group = 32, Stride = 2, Pads = [1, 1, 1, 1] }, seed: width + 100);
        RunAndCompare(new Case(1, 16, 3, width, 16, 5, 5) { Group = 16, Pads = [2, 2, 2, 2], Activation = "SiLU" }, seed: width + 200);
        if (width >= 3)
        {
            RunAndCompare(new Case(1, 16, 4, width, 16, 3, 3) { Group = 16 }, seed: width + 300);
        }
    }

    /// <summary>
    /// The deep cases compared at atol 2e-4 above: against a float64 naive convolution, NchwcConv's largest error is no
    /// worse than (twice) that of a plain float32 loop summing the same products one by one (the NCHWc kernel keeps one
    /// running float32 sum per output over all C·KH·KW taps, so its error grows like that loop's, a few times the NCHW
    /// Conv's blocked GEMM sums): the differences from the NCHW Conv are float32 summation order.
    /// </summary>
    [Theory]
    [InlineData("batch2-deep-no-padding-3x3")]
    [InlineData("batch3-deep-pair-major-3x3")]
    [InlineData("batch3-deep-pair-major-3x3-s2")]
    public void DeepSumsAreAsAccurateAsTheNchwConv(string name)
    {
        var k = s_dense[name] with { Residual = false, Activation = string.Empty };
        var x = Unfused.Random(1, k.N, k.C, k.H, k.W);
        var w = Unfused.Random(2, k.M, k.C, k.KH, k.KW);
        var b = Unfused.Random(3, k.M);
        var nchw = (Tensor<float>)Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, k.N, k.C, k.H, k.W).Initializer("w", w).Initializer("b", b)
                .Node("Conv", ["x", "w", "b"], ["y"], k.Attributes).Output("y"),
            "y", ("x", x));
        var tester = new OpTester("NchwcConv", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(Nchwc.ToBlocked(x)).ConstantInput(w).ConstantInput(b);
        foreach (var a in k.Attributes)
        {
            tester.Attribute(a);
        }

        var blocked = Nchwc.ToNchw(tester.RunSingle(), k.M);
        double nchwError = 0, nchwcError = 0, loopError = 0;
        var xs = x.Span;
        var ws = w.Span;
        for (int n = 0; n < k.N; n++)
        {
            for (int m = 0; m < k.M; m++)
            {
                for (int oh = 0; oh < k.OH; oh++)
                {
                    for (int ow = 0; ow < k.OW; ow++)
                    {
                        double sum = b.Span[m];
                        float loop = 0f;
                        for (int c = 0; c < k.C; c++)
                        {
                            for (int kh = 0; kh < k.KH; kh++)
                            {
                                int ih = (oh * k.Stride) - (int)k.Pads[0] + (kh * k.Dilation);
                                for (int kw = 0; kw < k.KW; kw++)
                                {
                                    int iw = (ow * k.SW) - (int)k.Pads[1] + (kw * k.Dilation);
                                    if (ih >= 0 && ih < k.H && iw >= 0 && iw < k.W)
                                    {
                                        float xv = xs[(((((n * k.C) + c) * k.H) + ih) * k.W) + iw], wv = ws[(((((m * k.C) + c) * k.KH) + kh) * k.KW) + kw];
                                        sum += (double)xv * wv;
                                        loop = MathF.FusedMultiplyAdd(xv, wv, loop);
                                    }
                                }
                            }
                        }

                        int at = ((((n * k.M) + m) * k.OH) + oh) * k.OW + ow;
                        nchwError = Math.Max(nchwError, Math.Abs(nchw.Span[at] - sum));
                        nchwcError = Math.Max(nchwcError, Math.Abs(blocked.Span[at] - sum));
                        loopError = Math.Max(loopError, Math.Abs((loop + b.Span[m]) - sum));
                    }
                }
            }
        }

        string errors = $"max error vs float64: NchwcConv {nchwcError:E2}, float32 loop {loopError:E2}, NCHW Conv {nchwError:E2}";
        Assert.True(nchwcError <= 2 * loopError, errors);
    }

    [Fact]
    public void PaddedLanesOfABlockedInputDoNotLeak()
    {
        // Whatever a padded input lane holds (finite, after an upstream NCHWc op), the output ignores it.
        var k = new Case(1, 20, 5, 6, 20, 3, 3) { Pads = [1, 1, 1, 1] };
        var x = Unfused.Random(7, 1, 20, 5, 6);
        var w = Unfused.Random(8, 20, 20, 3, 3);
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, 1, 20, 5, 6).Initializer("w", w).Node("Conv", ["x", "w"], ["y"], k.Attributes).Output("y"),
            "y", ("x", x));
        foreach (int group in new[] { 1, 20 })
        {
            var wg = group == 1 ? w : Unfused.Random(9, 20, 1, 3, 3);
            var exp = group == 1 ? expected : Unfused.Run(
                new ModelBuilder().Input("x", DataType.Float32, 1, 20, 5, 6).Initializer("w", wg)
                    .Node("Conv", ["x", "w"], ["y"], (k with { Group = 20 }).Attributes).Output("y"),
                "y", ("x", x));
            var tester = new OpTester("NchwcConv", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(Nchwc.ToBlocked(x, padding: 1000f)).ConstantInput(wg);
            foreach (var a in (k with { Group = group }).Attributes)
            {
                tester.Attribute(a);
            }

            TensorAssert.Close(exp, Nchwc.ToNchw(tester.RunSingle(), 20), 1e-4, 1e-5);
        }
    }

    [Theory]
    [InlineData("Relu", 1)]
    [InlineData("Clip", 1)]
    [InlineData("Relu", 20)]
    [InlineData("Clip", 20)]
    [InlineData("", 1)]
    public void NaNInputPropagatesThroughTheFusedActivation(string activation, int group)
    {
        var k = new Case(1, 20, 5, 14, 20, 3, 3) { Group = group, Pads = [1, 1, 1, 1], Activation = activation, Params = activation == "Clip" ? [0f, 1f] : [] };
        var x = Unfused.Random(31, 1, 20, 5, 14);
        x.Span[(2 * 70) + 20] = float.NaN; // channel 2, pixel (1, 6)
        var w = Unfused.Random(32, 20, 20 / group, 3, 3);
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, 1, 20, 5, 14).Initializer("w", w).Node("Conv", ["x", "w"], ["c"], k.Attributes)
                .Activation(activation, k.Params, "c", "y").Output("y"),
            "y", ("x", x));
        var tester = new OpTester("NchwcConv", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(Nchwc.ToBlocked(x)).ConstantInput(w).WithActivation(activation, k.Params);
        foreach (var a in k.Attributes)
        {
            tester.Attribute(a);
        }

        var actual = Nchwc.ToNchw(tester.RunSingle(), 20);
        Assert.True(float.IsNaN(((Tensor<float>)actual).Span[(2 * 70) + 20]), "the output at the NaN pixel of its own channel is NaN");
        TensorAssert.Close(expected, actual, 1e-4, 1e-5);
    }

    private static OpTester Dense(Tensor x, Tensor w) => new OpTester("NchwcConv", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(x).ConstantInput(w);

    [Fact]
    public void XOfWrongRankIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Dense(Unfused.Random(1, 1, 16, 5), Unfused.Random(2, 16, 16, 1, 1)).RunSingle());
        Assert.Contains("NchwcConv", ex.Message);
        Assert.Contains("[1,16,5]", ex.Message);
    }

    [Fact]
    public void XWithTheWrongBlockCountIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => Dense(Unfused.Random(1, 1, 1, 4, 4, 16), Unfused.Random(2, 16, 20, 1, 1)).RunSingle());
        Assert.Contains("does not fit W [16,20,1,1]", ex.Message);
        Assert.Contains("[N, 2, H, W, 16]", ex.Message);
    }

    [Fact]
    public void NchwXWithTheWrongChannelCountIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => Dense(Unfused.Random(1, 1, 4, 4, 4), Unfused.Random(2, 16, 3, 1, 1)).RunSingle());
        Assert.Contains("does not fit W [16,3,1,1]", ex.Message);
    }

    [Fact]
    public void NonConstantWIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => new OpTester("NchwcConv", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, 1, 4, 4, 16)).Input(Unfused.Random(2, 16, 16, 1, 1)).RunSingle());
        Assert.Contains("W (input 1) must be a constant initializer", ex.Message);
    }

    [Fact]
    public void NonConstantBIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => Dense(Unfused.Random(1, 1, 1, 4, 4, 16), Unfused.Random(2, 16, 16, 1, 1))
            .Input(Unfused.Random(3, 16)).RunSingle());
        Assert.Contains("B (input 2) must be a constant initializer", ex.Message);
    }

    [Fact]
    public void GroupNeitherOneNorDepthwiseIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => Dense(Unfused.Random(1, 1, 1, 4, 4, 16), Unfused.Random(2, 16, 8, 3, 3))
            .Attr("group", 2L).RunSingle());
        Assert.Contains("group 2", ex.Message);
        Assert.Contains("only group 1 or depthwise", ex.Message);
    }

    [Fact]
    public void ResidualOfWrongShapeIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => Dense(Unfused.Random(1, 1, 1, 4, 4, 16), Unfused.Random(2, 16, 16, 1, 1))
            .Input(null).Input(Unfused.Random(3, 1, 16, 4, 4)).RunSingle());
        Assert.Contains("residual Z must be float32 [1,1,4,4,16]", ex.Message);
    }

    [Fact]
    public void DepthwiseWithAnNchwXIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => Dense(Unfused.Random(1, 1, 16, 4, 4), Unfused.Random(2, 16, 1, 3, 3))
            .Attr("group", 16L).Attr("pads", new long[] { 1, 1, 1, 1 }).RunSingle());
        Assert.Contains("depthwise NchwcConv needs a blocked X", ex.Message);
    }

    [Theory]
    [InlineData(1, 3, 16)]
    [InlineData(2, 4, 16)]
    [InlineData(1, 3, 3)]
    public void DenseColumnStrideOtherThanOneOrTwoIsAnError(int sh, int sw, int c)
    {
        var x = c < 16 ? Unfused.Random(1, 1, c, 9, 9) : Unfused.Random(1, 1, 1, 9, 9, 16);
        var ex = Assert.Throws<OpExecutionException>(() => Dense(x, Unfused.Random(2, 16, c, 3, 3)).Attr("strides", new long[] { sh, sw }).RunSingle());
        Assert.Contains("NchwcConv", ex.Message);
        Assert.Contains($"supports a column stride of 1 or 2, got strides [{sh},{sw}]", ex.Message);
    }

    [Fact]
    public void KernelShapeDisagreeingWithWIsAnError()
    {
        var ex = Assert.Throws<OpExecutionException>(() => Dense(Unfused.Random(1, 1, 1, 4, 4, 16), Unfused.Random(2, 16, 16, 3, 3))
            .Attr("kernel_shape", new long[] { 1, 1 }).RunSingle());
        Assert.Contains("kernel_shape [1,1] does not match W [16,16,3,3]", ex.Message);
    }
}
