using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("Conv")]
public sealed class ConvTests
{
    public static IEnumerable<object[]> Cases() =>
    [
        // x dims, w dims, group, strides, dilations, pads (begin..., end...), auto_pad, bias
        [new[] { 2, 4, 11 }, new[] { 6, 2, 3 }, 2, new[] { 2 }, new[] { 2 }, new[] { 1, 2 }, "NOTSET", true],
        [new[] { 1, 3, 7, 8 }, new[] { 4, 3, 3, 3 }, 1, new[] { 2, 1 }, new[] { 1, 2 }, new[] { 1, 0, 2, 1 }, "NOTSET", true],
        [new[] { 1, 3, 7, 8 }, new[] { 5, 3, 3, 2 }, 1, new[] { 2, 3 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "SAME_UPPER", false],
        [new[] { 1, 3, 7, 8 }, new[] { 5, 3, 3, 2 }, 1, new[] { 2, 3 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "SAME_LOWER", true],
        [new[] { 2, 2, 6, 9 }, new[] { 3, 2, 4, 2 }, 1, new[] { 1, 2 }, new[] { 1, 3 }, new[] { 0, 0, 0, 0 }, "VALID", true],
        [new[] { 2, 4, 5, 5 }, new[] { 4, 1, 3, 3 }, 4, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", true],
        [new[] { 2, 6, 4, 5 }, new[] { 4, 3, 1, 1 }, 2, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "NOTSET", true],
        [new[] { 1, 5, 4, 3 }, new[] { 7, 5, 1, 1 }, 1, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "NOTSET", false],
        [new[] { 1, 2, 4, 5, 6 }, new[] { 3, 2, 2, 3, 2 }, 1, new[] { 1, 2, 1 }, new[] { 1, 1, 2 }, new[] { 1, 1, 1, 1, 0, 1 }, "NOTSET", true],
        [new[] { 1, 16, 12, 12 }, new[] { 8, 16, 3, 3 }, 1, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", true],

        // Depthwise (vector fast path: column stride 1 or 2, rows in groups of four plus a tail, partial last vectors).
        [new[] { 2, 3, 19, 37 }, new[] { 3, 1, 3, 3 }, 3, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", true],
        [new[] { 1, 5, 23, 41 }, new[] { 5, 1, 3, 3 }, 5, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", true],
        [new[] { 1, 4, 18, 33 }, new[] { 4, 1, 5, 5 }, 4, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "SAME_UPPER", false],
        [new[] { 1, 2, 9, 70 }, new[] { 2, 1, 5, 3 }, 2, new[] { 3, 1 }, new[] { 2, 1 }, new[] { 2, 0, 1, 3 }, "NOTSET", true],
        [new[] { 1, 3, 7, 7 }, new[] { 3, 1, 3, 3 }, 3, new[] { 1, 2 }, new[] { 1, 1 }, new[] { 0, 2, 3, 1 }, "NOTSET", true],

        // Depthwise rows narrower than a vector (full stores spill into the next rows; the plane's last rows store partially).
        [new[] { 2, 5, 14, 14 }, new[] { 5, 1, 3, 3 }, 5, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", true],
        [new[] { 1, 3, 9, 11 }, new[] { 3, 1, 3, 3 }, 3, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", true],

        // Small-plane depthwise vectorized across channels (full and partial channel blocks, strides, dilation, 5x5).
        [new[] { 2, 37, 9, 9 }, new[] { 37, 1, 3, 3 }, 37, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", true],
        [new[] { 1, 20, 7, 7 }, new[] { 20, 1, 5, 5 }, 20, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 2, 2, 2, 2 }, "NOTSET", false],
        [new[] { 1, 17, 8, 6 }, new[] { 17, 1, 3, 3 }, 17, new[] { 1, 1 }, new[] { 2, 1 }, new[] { 2, 0, 1, 2 }, "NOTSET", true],

        // Stride-2 depthwise read in place (interior vectors, shifted last vector, border rows and columns).
        [new[] { 2, 3, 30, 70 }, new[] { 3, 1, 5, 5 }, 3, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 2, 2, 2, 2 }, "NOTSET", true],
        [new[] { 1, 2, 17, 75 }, new[] { 2, 1, 3, 3 }, 2, new[] { 2, 2 }, new[] { 2, 1 }, new[] { 0, 1, 2, 0 }, "NOTSET", true],

        // Depthwise geometries of the tap-interval path (column dilation, column stride 3).
        [new[] { 1, 3, 11, 21 }, new[] { 3, 1, 3, 3 }, 3, new[] { 1, 1 }, new[] { 1, 2 }, new[] { 1, 2, 1, 2 }, "NOTSET", true],
        [new[] { 1, 3, 11, 21 }, new[] { 3, 1, 3, 3 }, 3, new[] { 2, 3 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", true],

        // Pointwise and im2col GEMMs that read full 32-column panels in place and pack only the tail panel.
        [new[] { 2, 9, 7, 7 }, new[] { 13, 9, 1, 1 }, 1, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "NOTSET", true],
        [new[] { 1, 5, 16, 21 }, new[] { 30, 5, 1, 1 }, 1, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "NOTSET", false],
        [new[] { 1, 16, 44, 45 }, new[] { 20, 16, 3, 3 }, 1, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", true],

        // 1x1 spatial pointwise (squeeze-excitation): dot products per output channel, grouped too.
        [new[] { 3, 40, 1, 1 }, new[] { 10, 40, 1, 1 }, 1, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "NOTSET", true],
        [new[] { 2, 12, 1, 1 }, new[] { 9, 4, 1, 1 }, 3, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "NOTSET", false],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDirectConvolution(int[] xDims, int[] wDims, int group, int[] strides, int[] dilations, int[] pads, string autoPad, bool withBias)
    {
        var x = Floats(1, xDims);
        var w = Floats(2, wDims);
        var b = withBias ? Floats(3, [wDims[0]]) : null;
        var tester = new OpTester("Conv", 11).Input(x).Input(w).Input(b)
            .Attr("group", group).Attr("strides", strides.Select(v => (long)v).ToArray())
            .Attr("dilations", dilations.Select(v => (long)v).ToArray()).Attr("auto_pad", autoPad);
        if (autoPad == "NOTSET")
        {
            tester.Attr("pads", pads.Select(v => (long)v).ToArray());
        }

        TensorAssert.Close(Reference(x, w, b, group, strides, dilations, pads, autoPad), tester.RunSingle(), 1e-4, 1e-5);
    }

    /// <summary>
    /// Constant weights (packed at kernel creation) on output planes too small for the GEMM panels: the transposed product
    /// (channels as columns, pixels as rows), pointwise and im2col, grouped, several images, against the direct oracle.
    /// </summary>
    [Theory]
    [InlineData(new[] { 2, 40, 7, 7 }, new[] { 256, 40, 1, 1 }, 1, 0)]
    [InlineData(new[] { 1, 16, 7, 7 }, new[] { 288, 16, 3, 3 }, 1, 1)]
    [InlineData(new[] { 1, 24, 7, 7 }, new[] { 512, 12, 1, 1 }, 2, 0)]
    [InlineData(new[] { 2, 8, 5, 5 }, new[] { 256, 8, 3, 3 }, 1, 1)]
    public void SmallOutputPlanesWithConstantWeightsMatchDirectConvolution(int[] xDims, int[] wDims, int group, int pad)
    {
        var x = Floats(1, xDims);
        var w = Floats(2, wDims);
        var b = Floats(3, [wDims[0]]);
        int[] pads = [pad, pad, pad, pad];
        var y = new OpTester("Conv", 11).Input(x).ConstantInput(w).ConstantInput(b).Attr("group", group)
            .Attr("pads", pads.Select(v => (long)v).ToArray()).RunSingle();
        TensorAssert.Close(Reference(x, w, b, group, [1, 1], [1, 1], pads, "NOTSET"), y, 1e-4, 1e-5);
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    public void OtherFloatTypes(DataType type)
    {
        var x = Random(type, 4, [2, 4, 6, 5]);
        var w = Random(type, 5, [6, 2, 3, 2]);
        var b = Random(type, 6, [6]);
        var y = new OpTester("Conv").Input(x).Input(w).Input(b).Attr("group", 2L).Attr("pads", new long[] { 1, 0, 1, 1 }).Attr("strides", new long[] { 2, 1 }).RunSingle();
        double tol = type == DataType.Float64 ? 1e-12 : type == DataType.Float16 ? 1e-2 : 8e-2;
        TensorAssert.Close(Reference(x, w, b, 2, [2, 1], [1, 1], [1, 0, 1, 1], "NOTSET"), y, tol, tol);
    }

    [Fact]
    public void KernelShapeAttributeMatchingWIsAccepted()
    {
        var x = Floats(7, [1, 2, 5, 5]);
        var w = Floats(8, [3, 2, 2, 3]);
        var y = new OpTester("Conv").Input(x).ConstantInput(w).Attr("kernel_shape", new long[] { 2, 3 }).RunSingle();
        TensorAssert.Close(Reference(x, w, null, 1, [1, 1], [1, 1], [0, 0, 0, 0], "NOTSET"), y, 1e-4, 1e-5);
    }

    [Fact]
    public void WeightChannelMismatchIsRejected() =>
        Rejects(() => new OpTester("Conv").Input(Floats(1, [1, 3, 5, 5])).Input(Floats(2, [2, 4, 3, 3])).Run(), "[2,4,3,3]", "group");

    [Fact]
    public void GroupNotDividingOutputChannelsIsRejected() =>
        Rejects(() => new OpTester("Conv").Input(Floats(1, [1, 4, 5, 5])).Input(Floats(2, [3, 2, 3, 3])).Attr("group", 2L).Run(), "group 2", "M % group");

    [Fact]
    public void WrongBiasLengthIsRejected() =>
        Rejects(() => new OpTester("Conv").Input(Floats(1, [1, 2, 5, 5])).Input(Floats(2, [3, 2, 3, 3])).Input(Floats(3, [4])).Run(), "bias B must be [3]", "[4]");

    [Fact]
    public void WrongStridesLengthIsRejected() =>
        Rejects(() => new OpTester("Conv").Input(Floats(1, [1, 2, 5, 5])).Input(Floats(2, [3, 2, 3, 3])).Attr("strides", new long[] { 1, 1, 1 }).Run(), "strides has 3 values");

    [Fact]
    public void WindowLargerThanInputIsRejected() =>
        Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Conv").Input(Floats(1, [1, 2, 2, 2])).Input(Floats(2, [3, 2, 3, 3])).Run());

    internal static Tensor Reference(Tensor x, Tensor w, Tensor? b, int group, int[] strides, int[] dilations, int[] pads, string autoPad)
    {
        int rank = x.Rank - 2;
        var yDims = new int[x.Rank];
        yDims[0] = x.Dims[0];
        yDims[1] = w.Dims[0];
        var pb = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            (yDims[d + 2], pb[d]) = ConvOracle.Forward(autoPad, x.Dims[d + 2], w.Dims[d + 2], strides[d], dilations[d], pads[d], pads[d + rank]);
        }

        var y = ConvOracle.Conv(x.ToDoubleArray(), x.DimsArray(), w.ToDoubleArray(), w.DimsArray(), b?.ToDoubleArray(), group, strides, dilations, pb, yDims);
        return FromDoubles(x.DataType, y, yDims);
    }
}
