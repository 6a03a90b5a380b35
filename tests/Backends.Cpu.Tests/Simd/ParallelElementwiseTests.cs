using OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;
using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Simd;

/// <summary>
/// The threaded elementwise paths (unary driver, float broadcast, LayerNormalization rows, Pow's scalar
/// exponents) against scalar oracles written here, for every length 0..70, lengths around the grain, and large.
/// </summary>
public sealed class ParallelElementwiseTests
{
    private static readonly int[] s_lengths = [.. Enumerable.Range(0, 71), 255, 8191, 8192, 16385, 65535, 65536, 131071, 131072, 131073, 262143, 262144, 300001];

    private static float[] Random(int n, int seed, float scale = 4)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * scale))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void ParallelUnaryEqualsScalarOracleForEveryLength(int degree)
    {
        foreach (int n in s_lengths)
        {
            var x = Random(n, n);
            var relu = new float[n];
            var erf = new float[n];
            UnaryDriver.RunParallel(default(Relu.Op), x, relu, degree);
            UnaryDriver.RunParallel(default(Erf.Op), x, erf, degree);
            var erfOneCall = new float[n];
            UnaryDriver.Run(default(Erf.Op), x, erfOneCall);
            Assert.Equal(erfOneCall, erf);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(MathF.Max(x[i], 0), relu[i]);

                // The vector erf (Abramowitz-Stegun 7.1.26 in float) against the float64 series.
                Assert.True(Math.Abs(erf[i] - FloatMath.Erf(x[i])) <= 1e-6, $"n={n} i={i} x={x[i]} erf={erf[i]}");
            }
        }
    }

    [Fact]
    public void ParallelUnaryRunsInPlace()
    {
        var x = Random(300001, 1);
        var expected = x.Select(v => MathF.Max(v, 0)).ToArray();
        UnaryDriver.RunParallel(default(Relu.Op), x, x, 4);
        Assert.Equal(expected, x);
    }

    public static TheoryData<int[], int[]> BroadcastShapes() => new()
    {
        { [1200, 257], [1200, 257] },      // same shape, one long run split inside
        { [512, 768], [768] },            // row bias
        { [2, 12, 128, 128], [1, 1, 1, 128] }, // attention mask
        { [4096, 64], [4096, 1] },          // column broadcast: runs of one element repeated
        { [300001], [1] },                 // scalar operand, odd length
        { [1], [3, 100000] },              // scalar first
        { [3, 1, 40000], [1, 5, 1] },     // both sides broadcast
        { [0, 64], [64] },
        { [7, 9], [9] },
        { [2, 3, 5], [3, 1] },
        { [2, 3, 5, 7, 16], [2, 3, 1, 1, 16] },    // NCHWc tensor times a per-image channel scale: b periodic
        { [2, 3, 1, 1, 16], [2, 3, 5, 7, 16] },    // a periodic
        { [1, 1, 64, 64, 16], [1, 1, 1, 1, 16] },  // one long periodic run, split on period boundaries
        { [4, 1, 3, 16], [4, 5, 1, 16] },          // repeats on both sides: only the inner run is joined
        { [3, 4, 1, 12], [3, 1, 1, 12] },          // period not a multiple of the vector width
        { [2, 1, 3, 1, 2, 1, 2, 1, 3, 16], [1, 2, 1, 3, 1, 2, 1, 2, 1, 16] }, // rank 10: the plan's dims on the heap
    };

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void ParallelBroadcastEqualsNaiveIndexing(int[] aDims, int[] bDims)
    {
        var cDims = BroadcastDriver.OutputDims(aDims, bDims);
        var a = Random(Size(aDims), 5);
        var b = Random(Size(bDims), 6);
        foreach (int degree in new[] { 1, 2, 3, 7 })
        {
            var c = new float[Size(cDims)];
            BroadcastDriver.RunFloat<Sub.Op>(a, aDims, b, bDims, c, cDims, degree);
            var index = new int[cDims.Length];
            for (int i = 0; i < c.Length; i++)
            {
                Assert.Equal(a[Offset(index, aDims, cDims)] - b[Offset(index, bDims, cDims)], c[i]);
                for (int d = cDims.Length - 1; d >= 0 && ++index[d] == cDims[d]; d--)
                {
                    index[d] = 0;
                }
            }
        }
    }

    [Fact]
    public void ParallelBroadcastRunsInPlace()
    {
        int[] dims = [1000, 300];
        var a = Random(300000, 8);
        var b = Random(300, 9);
        var expected = a.Select((v, i) => v * b[i % 300]).ToArray();
        BroadcastDriver.RunFloat<Mul.Op>(a, dims, b, [300], a, dims, 2);
        Assert.Equal(expected, a);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LayerNormRowsMatchFloat64Reference(bool bias)
    {
        foreach (int size in Enumerable.Range(0, 71).Append(768).Append(1031))
        {
            foreach (int outer in new[] { 1, 3, 64, 400 })
            {
                var x = Random(outer * size, size + outer, 10).Select((v, i) => v + (i % 7)).ToArray();
                var scale = Random(size, 11);
                float[]? b = bias ? Random(size, 12) : null;
                var y = new float[x.Length];
                var means = new double[outer];
                var inv = new double[outer];
                LayerNormFloat.Run(x, y, outer, size, scale, b, 1e-5f, means, inv, 2);

                var xd = x.Select(v => (double)v).ToArray();
                var yd = new double[x.Length];
                var meansD = new double[outer];
                var invD = new double[outer];
                LayerNormalization.Run<double>(xd, yd, outer, size, [.. scale.Select(v => (double)v)], b?.Select(v => (double)v).ToArray(), 1e-5f, meansD, invD);
                for (int o = 0; o < outer; o++)
                {
                    Assert.Equal(meansD[o], means[o], 1e-5);
                    Assert.True(Math.Abs(invD[o] - inv[o]) <= 1e-4 * invD[o], $"size {size}: invStd {inv[o]} vs {invD[o]}");
                }

                for (int i = 0; i < y.Length; i++)
                {
                    Assert.True(Math.Abs(yd[i] - y[i]) <= 1e-4 + (1e-4 * Math.Abs(yd[i])), $"size {size} outer {outer} i {i}: {y[i]} vs {yd[i]}");
                }
            }
        }
    }

    [Theory]
    [InlineData(2f)]
    [InlineData(3f)]
    [InlineData(0.5f)]
    public void PowScalarExponentEqualsMathPowRounded(float exponent)
    {
        foreach (int n in s_lengths.Where(n => n <= 70 || n == 300001))
        {
            var x = Random(n, n + 100, 200);
            if (n >= 6)
            {
                (x[0], x[1], x[2], x[3], x[4], x[5]) = (-0f, 0f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, -3f);
            }

            var y = new OpTester("Pow").Input(Tensor.Create(x, n)).Input(Tensor.Create(new[] { exponent })).RunSingle().ToDoubleArray();
            for (int i = 0; i < n; i++)
            {
                float expected = (float)Math.Pow(x[i], exponent);
                float actual = (float)y[i];
                bool same = float.IsNaN(expected) ? float.IsNaN(actual) : expected.Equals(actual) && float.IsNegative(expected) == float.IsNegative(actual);
                Assert.True(same, $"{x[i]} ^ {exponent}: {actual} vs {expected}");
            }
        }
    }

    [Fact]
    public void PowScalarExponentKeepsBroadcastShape()
    {
        var x = Tensor.Create(new float[] { 1, 2, 3 }, 3);
        var y = new OpTester("Pow").Input(x).Input(Tensor.Create(new[] { 2f }, 1, 1)).RunSingle();
        Assert.Equal([1, 3], y.Dims.ToArray());
        Assert.Equal(new double[] { 1, 4, 9 }, y.ToDoubleArray());
    }

    [Theory]
    [InlineData("Softmax")]
    [InlineData("LogSoftmax")]
    public void ParallelSoftmaxRowsMatchFloat64Oracle(string op)
    {
        foreach (int n in new[] { 1, 7, 67, 128, 1000 })
        {
            int rows = (3 * UnaryDriver.TranscendentalGrain / n) + 1;
            var x = Random(rows * n, n, 20);
            var y = new OpTester(op).Input(Tensor.Create(x, rows, n)).RunSingle().ToDoubleArray();
            for (int r = 0; r < rows; r++)
            {
                var row = x.AsSpan(r * n, n).ToArray().Select(v => (double)v).ToArray();
                double max = row.Max();
                double sum = row.Sum(v => Math.Exp(v - max));
                for (int i = 0; i < n; i++)
                {
                    double expected = op == "Softmax" ? Math.Exp(row[i] - max) / sum : row[i] - max - Math.Log(sum);
                    Assert.True(Math.Abs(expected - y[(r * n) + i]) <= 1e-6 + (1e-5 * Math.Abs(expected)), $"{op} n={n} row {r} col {i}: {y[(r * n) + i]} vs {expected}");
                }
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SoftmaxRowMatchesFloat64OracleForEveryLength(bool vectors)
    {
        UnaryDriver.AllowVectors = vectors;
        try
        {
            foreach (int n in s_lengths.Where(n => n <= 70 || n == 65536))
            {
                var x = Random(n, n + 7, 30);
                var y = new float[n];
                SoftmaxRow.Run(x, y);
                double max = n == 0 ? 0 : x.Max();
                double sum = x.Sum(v => Math.Exp(v - max));
                for (int i = 0; i < n; i++)
                {
                    double expected = Math.Exp(x[i] - max) / sum;
                    Assert.True(Math.Abs(expected - y[i]) <= 1e-7 + (1e-5 * expected), $"n={n} i={i}: {y[i]} vs {expected}");
                }
            }

            var withNaN = new float[20];
            withNaN[13] = float.NaN;
            var outNaN = new float[20];
            SoftmaxRow.Run(withNaN, outNaN);
            Assert.All(outNaN, v => Assert.True(float.IsNaN(v)));
        }
        finally
        {
            UnaryDriver.AllowVectors = true;
        }
    }

    private static int Size(int[] dims) => dims.Aggregate(1, (p, d) => p * d);

    private static int Offset(int[] index, int[] dims, int[] outDims)
    {
        int offset = outDims.Length - dims.Length;
        int o = 0;
        for (int d = 0; d < dims.Length; d++)
        {
            o = (o * dims[d]) + (dims[d] == 1 ? 0 : index[d + offset]);
        }

        return o;
    }
}
