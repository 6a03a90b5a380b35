using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("MeanVarianceNormalization")]
public sealed class MeanVarianceNormalizationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(new long[] { 1 })]
    [InlineData(new long[] { 2, 3 })]
    [InlineData(new long[] { 0, -1 })]
    [InlineData(new long[] { 0, 1, 2, 3 })]
    public void NormalizesOverTheAxes(long[]? axes)
    {
        var x = Floats(1, [2, 3, 4, 5], -2, 3);
        var tester = new OpTester("MeanVarianceNormalization", 13).Input(x);
        if (axes is not null)
        {
            tester.Attr("axes", axes);
        }

        TensorAssert.Close(Reference(x, axes ?? [0, 2, 3]), tester.RunSingle(), 1e-4, 1e-5);
    }

    [Fact]
    public void Float64()
    {
        var x = Doubles(2, [3, 2, 4]);
        TensorAssert.Close(Reference(x, [2]), new OpTester("MeanVarianceNormalization").Input(x).Attr("axes", new long[] { 2 }).RunSingle(), 1e-9, 1e-9);
    }

    [Fact]
    public void AxisOutOfRangeIsRejected() =>
        Rejects(() => new OpTester("MeanVarianceNormalization").Input(Floats(1, [2, 3])).Attr("axes", new long[] { 2 }).Run(), "axis 2", "rank 2");

    [Fact]
    public void IntegerInputIsRejected() =>
        Rejects(() => new OpTester("MeanVarianceNormalization").Input(Random(DataType.Int32, 1, [2, 3, 2, 2])).Run(), "int32");

    /// <summary>y = (x - mean) / (sqrt(E[x^2] - mean^2) + 1e-9), expectations over the elements sharing the kept coordinates.</summary>
    private static Tensor Reference(Tensor x, long[] axes)
    {
        var reduced = new bool[x.Rank];
        foreach (long a in axes)
        {
            reduced[a < 0 ? a + x.Rank : a] = true;
        }

        var xv = x.ToDoubleArray();
        var key = (int i) => string.Join(",", Unravel(i, x.Dims).Select((c, d) => reduced[d] ? 0 : c));
        var groups = Enumerable.Range(0, xv.Length).GroupBy(key).ToArray();
        var y = new double[xv.Length];
        foreach (var g in groups)
        {
            double mean = g.Average(i => xv[i]);
            double std = Math.Sqrt(g.Average(i => xv[i] * xv[i]) - (mean * mean));
            foreach (int i in g)
            {
                y[i] = (xv[i] - mean) / (std + 1e-9);
            }
        }

        return FromDoubles(x.DataType, y, x.DimsArray());
    }
}
