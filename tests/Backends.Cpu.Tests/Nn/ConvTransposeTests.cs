using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("ConvTranspose")]
public sealed class ConvTransposeTests
{
    public static IEnumerable<object[]> Cases() =>
    [
        // x dims, w dims [C, M/group, k...], group, strides, dilations, pads, output_padding, bias
        [new[] { 2, 3, 5 }, new[] { 3, 2, 3 }, 1, new[] { 2 }, new[] { 1 }, new[] { 1, 0 }, new[] { 1 }, true],
        [new[] { 1, 2, 4, 3 }, new[] { 2, 3, 3, 2 }, 1, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, new[] { 0, 0 }, false],
        [new[] { 1, 4, 3, 4 }, new[] { 4, 2, 3, 3 }, 2, new[] { 2, 3 }, new[] { 2, 1 }, new[] { 1, 2, 0, 1 }, new[] { 1, 2 }, true],
        [new[] { 2, 3, 3, 2, 3 }, new[] { 3, 2, 2, 3, 2 }, 1, new[] { 2, 1, 2 }, new[] { 1, 2, 1 }, new[] { 0, 1, 1, 1, 0, 0 }, new[] { 1, 0, 0 }, true],
        [new[] { 1, 6, 3, 3 }, new[] { 6, 1, 3, 3 }, 6, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, new[] { 0, 0 }, true],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDirectScatter(int[] xDims, int[] wDims, int group, int[] strides, int[] dilations, int[] pads, int[] outputPadding, bool withBias)
    {
        var x = Floats(1, xDims);
        var w = Floats(2, wDims);
        var b = withBias ? Floats(3, [wDims[1] * group]) : null;
        var y = new OpTester("ConvTranspose", 11).Input(x).Input(w).Input(b)
            .Attr("group", group).Attr("strides", Longs(strides)).Attr("dilations", Longs(dilations))
            .Attr("pads", Longs(pads)).Attr("output_padding", Longs(outputPadding)).RunSingle();
        int rank = xDims.Length - 2;
        var yDims = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            yDims[d] = (strides[d] * (xDims[d + 2] - 1)) + outputPadding[d] + ((wDims[d + 2] - 1) * dilations[d]) + 1 - pads[d] - pads[d + rank];
        }

        TensorAssert.Close(Reference(x, w, b, group, strides, dilations, pads[..rank], yDims), y, 1e-4, 1e-5);
    }

    [Theory]
    [InlineData("SAME_UPPER")]
    [InlineData("SAME_LOWER")]
    public void AutoPadSameGivesInputTimesStride(string autoPad)
    {
        // Per axis: full size s * (in - 1) + k; total padding = full - in * s, split per the spec (odd on the second axis).
        var x = Floats(4, [1, 2, 3, 4]);
        var w = Floats(5, [2, 3, 4, 3]);
        var y = new OpTester("ConvTranspose").Input(x).Input(w).Attr("strides", new long[] { 2, 2 }).Attr("auto_pad", autoPad).RunSingle();
        int[] total = [(2 * 2) + 4 - 6, (2 * 3) + 3 - 8];
        int[] begin = total.Select(t => autoPad == "SAME_UPPER" ? t / 2 : t - (t / 2)).ToArray();
        TensorAssert.Close(Reference(x, w, null, 1, [2, 2], [1, 1], begin, [6, 8]), y, 1e-4, 1e-5);
    }

    [Fact]
    public void OutputShapeDerivesThePads()
    {
        // Natural size 2 * (4 - 1) + 3 = 9 per axis; output_shape [10, 8] → total padding [-1, 1] → begin pads [0, 1].
        var x = Floats(6, [1, 1, 4, 4]);
        var w = Floats(7, [1, 2, 3, 3]);
        var y = new OpTester("ConvTranspose").Input(x).Input(w).Attr("strides", new long[] { 2, 2 }).Attr("output_shape", new long[] { 10, 8 }).RunSingle();
        TensorAssert.Close(Reference(x, w, null, 1, [2, 2], [1, 1], [0, 1], [10, 8]), y, 1e-4, 1e-5);
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Float16)]
    public void OtherFloatTypes(DataType type)
    {
        var x = Random(type, 8, [2, 2, 3, 3]);
        var w = Random(type, 9, [2, 2, 2, 2]);
        var b = Random(type, 10, [2]);
        var y = new OpTester("ConvTranspose").Input(x).Input(w).Input(b).Attr("strides", new long[] { 2, 1 }).RunSingle();
        double tol = type == DataType.Float64 ? 1e-12 : 1e-2;
        TensorAssert.Close(Reference(x, w, b, 1, [2, 1], [1, 1], [0, 0], [6, 4]), y, tol, tol);
    }

    [Fact]
    public void WeightChannelMismatchIsRejected() =>
        Rejects(() => new OpTester("ConvTranspose").Input(Floats(1, [1, 3, 4, 4])).Input(Floats(2, [2, 3, 3, 3])).Run(), "[2,3,3,3]", "3");

    [Fact]
    public void WrongBiasLengthIsRejected() =>
        Rejects(() => new OpTester("ConvTranspose").Input(Floats(1, [1, 2, 4, 4])).Input(Floats(2, [2, 3, 3, 3])).Input(Floats(3, [2])).Run(), "bias B must be [3]");

    [Fact]
    public void WrongOutputPaddingLengthIsRejected() =>
        Rejects(() => new OpTester("ConvTranspose").Input(Floats(1, [1, 2, 4, 4])).Input(Floats(2, [2, 3, 3, 3])).Attr("output_padding", new long[] { 1 }).Run(), "output_padding has 1 values");

    private static long[] Longs(int[] v) => v.Select(i => (long)i).ToArray();

    /// <summary>Naive scatter: Y[n, g*M/g + m, i * s - pb + kk * d] += W[c, m, kk] * X[n, c, i] for c in group g, plus bias.</summary>
    private static Tensor Reference(Tensor x, Tensor w, Tensor? b, int group, int[] strides, int[] dilations, int[] padsBegin, int[] spatialOut)
    {
        int rank = x.Rank - 2;
        int n = x.Dims[0], c = x.Dims[1], cg = c / group, mg = w.Dims[1], m = mg * group;
        int[] yDims = [n, m, .. spatialOut];
        var y = new double[Product(yDims)];
        var xv = x.ToDoubleArray();
        var wv = w.ToDoubleArray();
        int[] wDims = w.DimsArray();
        int[] kernel = wDims[2..];
        for (int xi = 0; xi < xv.Length; xi++)
        {
            int[] xc = Unravel(xi, x.Dims);
            int g = xc[1] / cg;
            for (int mm = 0; mm < mg; mm++)
            {
                for (int kk = 0; kk < Product(kernel); kk++)
                {
                    int[] kc = Unravel(kk, kernel);
                    var yc = new int[rank + 2];
                    yc[0] = xc[0];
                    yc[1] = (g * mg) + mm;
                    bool inside = true;
                    for (int d = 0; d < rank; d++)
                    {
                        yc[d + 2] = (xc[d + 2] * strides[d]) - padsBegin[d] + (kc[d] * dilations[d]);
                        inside &= yc[d + 2] >= 0 && yc[d + 2] < spatialOut[d];
                    }

                    if (inside)
                    {
                        y[Linear(yDims, yc)] += wv[Linear(wDims, [xc[1], mm, .. kc])] * xv[xi];
                    }
                }
            }
        }

        if (b is not null)
        {
            var bv = b.ToDoubleArray();
            for (int i = 0; i < y.Length; i++)
            {
                y[i] += bv[Unravel(i, yDims)[1]];
            }
        }

        return FromDoubles(x.DataType, y, yDims);
    }
}
