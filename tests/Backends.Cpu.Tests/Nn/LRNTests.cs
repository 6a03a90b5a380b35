using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("LRN")]
public sealed class LRNTests
{
    [Theory]
    [InlineData(3, 1e-4f, 0.75f, 1f)]
    [InlineData(4, 0.02f, 0.5f, 2f)]
    [InlineData(1, 1f, 1f, 0.5f)]
    [InlineData(9, 0.1f, 0.9f, 1f)]
    public void MatchesTheChannelWindowFormula(int size, float alpha, float beta, float bias)
    {
        var x = Floats(1, [2, 5, 3, 4], -2, 2);
        var y = new OpTester("LRN").Input(x).Attr("size", size).Attr("alpha", alpha).Attr("beta", beta).Attr("bias", bias).RunSingle();
        TensorAssert.Close(Reference(x, size, alpha, beta, bias), y, 1e-5, 1e-6);
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Float16)]
    public void OtherFloatTypes(DataType type)
    {
        var x = Random(type, 2, [1, 6, 5]);
        var y = new OpTester("LRN").Input(x).Attr("size", 3L).Attr("alpha", 0.5f).RunSingle();
        double tol = type == DataType.Float16 ? 2e-3 : 1e-7;
        TensorAssert.Close(Reference(x, 3, 0.5f, 0.75f, 1f), y, tol, tol);
    }

    [Fact]
    public void NonPositiveSizeIsRejected() =>
        Rejects(() => new OpTester("LRN").Input(Floats(1, [1, 3, 2, 2])).Attr("size", 0L).Run(), "size must be positive");

    [Fact]
    public void RankOneInputIsRejected() =>
        Rejects(() => new OpTester("LRN").Input(Floats(1, [4])).Attr("size", 3L).Run(), "rank >= 2");

    /// <summary>y[n, c, ...] = x / (bias + alpha / size * sum of x[n, j, ...]^2 for j in [c - floor((size-1)/2), c + ceil((size-1)/2)])^beta.</summary>
    private static Tensor Reference(Tensor x, int size, double alpha, double beta, double bias)
    {
        var xv = x.ToDoubleArray();
        var y = new double[xv.Length];
        int channels = x.Dims[1];
        for (int i = 0; i < y.Length; i++)
        {
            int[] c = Unravel(i, x.Dims);
            double sq = 0;
            int ch = c[1];
            for (int j = ch - ((size - 1) / 2); j <= ch + (int)Math.Ceiling((size - 1) / 2.0); j++)
            {
                if (j >= 0 && j < channels)
                {
                    c[1] = j;
                    double v = xv[Linear(x.Dims, c)];
                    sq += v * v;
                }
            }

            y[i] = xv[i] / Math.Pow(bias + (alpha / size * sq), beta);
        }

        return FromDoubles(x.DataType, y, x.DimsArray());
    }
}
