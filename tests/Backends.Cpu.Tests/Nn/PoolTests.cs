using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

/// <summary>MaxPool, AveragePool and LpPool against one naive window oracle.</summary>
[OpTest("MaxPool")]
[OpTest("AveragePool")]
[OpTest("LpPool")]
public sealed class PoolTests
{
    public static IEnumerable<object[]> Windows() =>
    [
        // x dims, kernel, strides, dilations, pads, auto_pad, ceil_mode
        [new[] { 2, 3, 10 }, new[] { 3 }, new[] { 2 }, new[] { 1 }, new[] { 1, 1 }, "NOTSET", 0],
        [new[] { 1, 2, 7, 6 }, new[] { 3, 2 }, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 1, 0, 1, 1 }, "NOTSET", 0],
        [new[] { 1, 2, 7, 6 }, new[] { 3, 2 }, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 1, 0, 1, 1 }, "NOTSET", 1],
        [new[] { 1, 2, 8, 8 }, new[] { 3, 3 }, new[] { 3, 3 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "NOTSET", 1],
        [new[] { 2, 1, 9, 7 }, new[] { 2, 3 }, new[] { 1, 2 }, new[] { 2, 1 }, new[] { 0, 1, 2, 0 }, "NOTSET", 0],
        [new[] { 1, 3, 7, 5 }, new[] { 3, 2 }, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "SAME_UPPER", 0],
        [new[] { 1, 3, 7, 5 }, new[] { 3, 2 }, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "SAME_LOWER", 0],
        [new[] { 1, 3, 7, 5 }, new[] { 4, 2 }, new[] { 2, 3 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "VALID", 0],
        [new[] { 1, 2, 4, 5, 6 }, new[] { 2, 3, 2 }, new[] { 1, 2, 2 }, new[] { 1, 1, 2 }, new[] { 1, 0, 1, 0, 1, 1 }, "NOTSET", 0],

        // Rows wide enough for the vector path (SqueezeNet's ceil-mode 3x3/2, ResNet's padded 3x3/2, stride 1, row dilation).
        [new[] { 1, 2, 23, 111 }, new[] { 3, 3 }, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, "NOTSET", 1],
        [new[] { 2, 3, 20, 40 }, new[] { 3, 3 }, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", 0],
        [new[] { 1, 2, 9, 37 }, new[] { 3, 3 }, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1, 1, 1 }, "NOTSET", 0],
        [new[] { 1, 1, 6, 50 }, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 2, 1 }, new[] { 0, 1, 1, 0 }, "NOTSET", 0],
    ];

    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxPoolValuesAndIndices(int[] xDims, int[] kernel, int[] strides, int[] dilations, int[] pads, string autoPad, int ceil)
    {
        var x = Floats(1, xDims);
        var outs = Tester("MaxPool", 12, x, kernel, strides, dilations, pads, autoPad, ceil).Outputs(2).Run();
        var (values, indices) = Reference(x, kernel, strides, dilations, pads, autoPad, ceil == 1, Kind.Max, false, 0, columnMajor: false);
        TensorAssert.Close(values, outs[0], 0, 0);
        Assert.Equal(indices, outs[1].ToInt64Array());
    }

    /// <summary>
    /// Without the Indices output, float 2-D pools take a fast path (vectors over a -inf padded plane, or precomputed column
    /// bounds and Math.Max); it must
    /// agree with the generic window loop (run here on the same values as float64) exactly, NaN propagation included.
    /// </summary>
    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxPoolValuesOnlyAgreesWithTheGenericPathIncludingNaN(int[] xDims, int[] kernel, int[] strides, int[] dilations, int[] pads, string autoPad, int ceil)
    {
        var x = Floats(1, xDims);
        var data = x.AsSpan<float>();
        for (int i = 0; i < data.Length; i += 17)
        {
            data[i] = float.NaN;
        }

        var x64 = Tensor.Create(x.ToDoubleArray(), xDims);
        var y = Tester("MaxPool", 12, x, kernel, strides, dilations, pads, autoPad, ceil).RunSingle();
        var expected = Tester("MaxPool", 12, x64, kernel, strides, dilations, pads, autoPad, ceil).RunSingle();
        Assert.Equal(expected.DimsArray(), y.DimsArray());
        var e = expected.ToDoubleArray();
        var a = y.ToDoubleArray();
        Assert.Contains(e, double.IsNaN);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(double.IsNaN(e[i]) ? double.IsNaN(a[i]) : e[i] == a[i], $"element {i}: {a[i]} != expected {e[i]}");
        }
    }

    [Fact]
    public void MaxPoolStorageOrderOneGivesColumnMajorIndices()
    {
        var x = Floats(2, [2, 2, 5, 4]);
        var outs = Tester("MaxPool", 12, x, [2, 2], [1, 1], [1, 1], [0, 0, 0, 0], "NOTSET", 0).Attr("storage_order", 1L).Outputs(2).Run();
        var (values, indices) = Reference(x, [2, 2], [1, 1], [1, 1], [0, 0, 0, 0], "NOTSET", false, Kind.Max, false, 0, columnMajor: true);
        TensorAssert.Close(values, outs[0], 0, 0);
        Assert.Equal(indices, outs[1].ToInt64Array());
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Int8)]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Float16)]
    public void MaxPoolOtherTypes(DataType type)
    {
        var x = Random(type, 3, [1, 2, 5, 5], lo: type == DataType.UInt8 ? 0 : -100, hi: 100);
        var y = Tester("MaxPool", 12, x, [2, 2], [2, 2], [1, 1], [1, 1, 0, 0], "NOTSET", 1).RunSingle();
        TensorAssert.Close(Reference(x, [2, 2], [2, 2], [1, 1], [1, 1, 0, 0], "NOTSET", true, Kind.Max, false, 0, false).Values, y, 0, 0);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void AveragePoolExcludingPad(int[] xDims, int[] kernel, int[] strides, int[] dilations, int[] pads, string autoPad, int ceil)
    {
        var x = Floats(4, xDims);
        var y = Tester("AveragePool", 19, x, kernel, strides, dilations, pads, autoPad, ceil).RunSingle();
        TensorAssert.Close(Reference(x, kernel, strides, dilations, pads, autoPad, ceil == 1, Kind.Average, false, 0, false).Values, y, 1e-5, 1e-6);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void AveragePoolIncludingPad(int[] xDims, int[] kernel, int[] strides, int[] dilations, int[] pads, string autoPad, int ceil)
    {
        var x = Floats(5, xDims);
        var y = Tester("AveragePool", 19, x, kernel, strides, dilations, pads, autoPad, ceil).Attr("count_include_pad", 1L).RunSingle();
        TensorAssert.Close(Reference(x, kernel, strides, dilations, pads, autoPad, ceil == 1, Kind.Average, true, 0, false).Values, y, 1e-5, 1e-6);
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    public void AveragePoolOtherTypes(DataType type)
    {
        var x = Random(type, 6, [2, 2, 6, 5]);
        var y = Tester("AveragePool", 11, x, [3, 3], [2, 2], [1, 1], [1, 1, 1, 1], "NOTSET", 0).RunSingle();
        double tol = type == DataType.Float64 ? 1e-12 : type == DataType.Float16 ? 2e-3 : 2e-2;
        TensorAssert.Close(Reference(x, [3, 3], [2, 2], [1, 1], [1, 1, 1, 1], "NOTSET", false, Kind.Average, false, 0, false).Values, y, tol, tol);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LpPoolNorms(int p)
    {
        foreach (var w in Windows())
        {
            var x = Floats(7, (int[])w[0]);
            var y = Tester("LpPool", 18, x, (int[])w[1], (int[])w[2], (int[])w[3], (int[])w[4], (string)w[5], (int)w[6]).Attr("p", p).RunSingle();
            TensorAssert.Close(Reference(x, (int[])w[1], (int[])w[2], (int[])w[3], (int[])w[4], (string)w[5], (int)w[6] == 1, Kind.Lp, false, p, false).Values, y, 1e-5, 1e-6);
        }
    }

    [Fact]
    public void LpPoolOpset1TakesAFloatP()
    {
        var x = Doubles(8, [1, 2, 4, 4]);
        var y = new OpTester("LpPool", 1).Input(x).Attr("kernel_shape", new long[] { 2, 2 }).Attr("p", 3f).RunSingle();
        TensorAssert.Close(Reference(x, [2, 2], [1, 1], [1, 1], [0, 0, 0, 0], "NOTSET", false, Kind.Lp, false, 3, false).Values, y, 1e-9, 1e-12);
    }

    [Fact]
    public void MissingKernelShapeIsRejected() =>
        Rejects(() => new OpTester("MaxPool").Input(Floats(1, [1, 1, 4, 4])).Run(), "kernel_shape is required");

    [Fact]
    public void RankTwoInputIsRejected() =>
        Rejects(() => new OpTester("AveragePool").Input(Floats(1, [4, 4])).Attr("kernel_shape", new long[] { 2 }).Run(), "rank >= 3", "[4,4]");

    [Fact]
    public void KernelLargerThanInputIsRejected() =>
        Rejects(() => new OpTester("LpPool").Input(Floats(1, [1, 1, 2, 2])).Attr("kernel_shape", new long[] { 3, 3 }).Run(), "does not fit", "[1,1,2,2]");

    [Fact]
    public void NegativePadsAreRejected() =>
        Rejects(() => new OpTester("MaxPool").Input(Floats(1, [1, 1, 4, 4])).Attr("kernel_shape", new long[] { 2, 2 }).Attr("pads", new long[] { -1, 0, 0, 0 }).Run(), "pads must be non-negative");

    private enum Kind
    {
        Max,
        Average,
        Lp,
    }

    private static OpTester Tester(string op, long opset, Tensor x, int[] kernel, int[] strides, int[] dilations, int[] pads, string autoPad, int ceil)
    {
        var t = new OpTester(op, opset).Input(x)
            .Attr("kernel_shape", kernel.Select(v => (long)v).ToArray())
            .Attr("strides", strides.Select(v => (long)v).ToArray())
            .Attr("auto_pad", autoPad);
        if (dilations.Any(d => d != 1))
        {
            t.Attr("dilations", dilations.Select(v => (long)v).ToArray());
        }

        if (autoPad == "NOTSET")
        {
            t.Attr("pads", pads.Select(v => (long)v).ToArray());
        }

        if (ceil != 0)
        {
            t.Attr("ceil_mode", (long)ceil);
        }

        return t;
    }

    /// <summary>
    /// Walks every window position kk of every output o: input coordinate o * s - pb + kk * d. In-bounds positions feed the
    /// max / sum / sum |x|^p; positions inside [-pb, in + pe) count for count_include_pad.
    /// </summary>
    private static (Tensor Values, long[] Indices) Reference(Tensor x, int[] kernel, int[] strides, int[] dilations, int[] pads, string autoPad, bool ceil, Kind kind, bool includePad, double p, bool columnMajor)
    {
        int rank = x.Rank - 2;
        var yDims = x.DimsArray();
        var pb = new int[rank];
        var pe = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            (yDims[d + 2], pb[d]) = ConvOracle.Forward(autoPad, x.Dims[d + 2], kernel[d], strides[d], dilations[d], pads[d], pads[d + rank], ceil);
            int ek = ((kernel[d] - 1) * dilations[d]) + 1;
            pe[d] = autoPad == "NOTSET" ? pads[d + rank] : Math.Max(0, ((yDims[d + 2] - 1) * strides[d]) + ek - x.Dims[d + 2] - pb[d]);
        }

        var xv = x.ToDoubleArray();
        var y = new double[Product(yDims)];
        var indices = new long[y.Length];
        int windowSize = Product(kernel);
        int[] spatial = x.DimsArray()[2..];
        for (int i = 0; i < y.Length; i++)
        {
            int[] yc = Unravel(i, yDims);
            double best = double.NegativeInfinity, sum = 0;
            long bestIndex = -1;
            int valid = 0, padded = 0;
            for (int kk = 0; kk < windowSize; kk++)
            {
                int[] kc = Unravel(kk, kernel);
                int[] xc = [yc[0], yc[1], .. new int[rank]];
                bool inside = true, insidePadded = true;
                for (int d = 0; d < rank; d++)
                {
                    int pos = (yc[d + 2] * strides[d]) - pb[d] + (kc[d] * dilations[d]);
                    xc[d + 2] = pos;
                    inside &= pos >= 0 && pos < x.Dims[d + 2];
                    insidePadded &= pos >= -pb[d] && pos < x.Dims[d + 2] + pe[d];
                }

                padded += insidePadded ? 1 : 0;
                if (!inside)
                {
                    continue;
                }

                valid++;
                double v = xv[Linear(x.Dims, xc)];
                sum += kind == Kind.Lp ? Math.Pow(Math.Abs(v), p) : v;
                if (v > best)
                {
                    best = v;
                    int[] sc = xc[2..];
                    long flat = columnMajor ? Linear(spatial.Reverse().ToArray(), sc.Reverse().ToArray()) : Linear(spatial, sc);
                    bestIndex = (((long)yc[0] * x.Dims[1]) + yc[1]) * Product(spatial) + flat;
                }
            }

            y[i] = kind switch
            {
                Kind.Max => best,
                Kind.Average => sum / (includePad ? padded : valid),
                _ => Math.Pow(sum, 1 / p),
            };
            indices[i] = bestIndex;
        }

        return (FromDoubles(x.DataType, y, yDims), indices);
    }
}
