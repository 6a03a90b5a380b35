using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Quantization;

[OpTest("MatMulInteger")]
public sealed class MatMulIntegerTests
{
    [Fact]
    public void Onnx() => QuantTestHelper.RunCase("MatMulInteger", 10, OnnxQuantizationCases.Matmulinteger());

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3, 4 })]
    [InlineData(new[] { 3 }, new[] { 3, 4 })]
    [InlineData(new[] { 2, 3 }, new[] { 3 })]
    [InlineData(new[] { 2, 1, 2, 3 }, new[] { 3, 3, 2 })]
    public void BatchedInt8MatchesOracle(int[] aDims, int[] bDims)
    {
        var a = RandomInt8(aDims, 1);
        var b = RandomInt8(bDims, 2);
        var aZp = Tensor.Scalar((sbyte)3);
        var bZp = Tensor.Scalar((sbyte)-2);
        var result = new OpTester("MatMulInteger", 10).Input(a).Input(b).Input(aZp).Input(bZp).RunSingle();
        Assert.Equal(DataType.Int32, result.DataType);
        Assert.Equal(Oracle(a, b, 3, -2), result.ToInt64Array());
    }

    [Fact]
    public void PerRowAndPerColumnZeroPoints()
    {
        var a = Tensor.Create(new byte[] { 1, 2, 3, 4 }, 2, 2);
        var b = Tensor.Create(new byte[] { 1, 0, 0, 1 }, 2, 2);
        var result = new OpTester("MatMulInteger", 10).Input(a).Input(b)
            .Input(Tensor.Create(new byte[] { 1, 2 }, 2)).Input(Tensor.Create(new byte[] { 0, 1 }, 2)).RunSingle();

        // (a - [[1],[2]]) @ (b - [0, 1]) = [[0,1],[1,2]] @ [[1,-1],[0,0]] = [[0,0],[1,-1]]
        Assert.Equal(new long[] { 0, 0, 1, -1 }, result.ToInt64Array());
    }

    [Fact]
    public void InnerDimensionMismatchIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("MatMulInteger", 10).Input(new Tensor<byte>([2, 3])).Input(new Tensor<byte>([4, 2])).RunSingle());
        Assert.Contains("[2,3]", ex.Message);
    }

    private static Tensor<sbyte> RandomInt8(int[] dims, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor<sbyte>(dims);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = (sbyte)rng.Next(-128, 128);
        }

        return t;
    }

    // Oracle: numpy.matmul by explicit promotion, broadcasting and triple loop in int64.
    private static long[] Oracle(Tensor<sbyte> a, Tensor<sbyte> b, int aZp, int bZp)
    {
        int[] ad = a.Rank == 1 ? [1, a.Dims[0]] : a.DimsArray();
        int[] bd = b.Rank == 1 ? [b.Dims[0], 1] : b.DimsArray();
        int m = ad[^2], k = ad[^1], n = bd[^1];
        var batch = ShapeRules.Broadcast(ad[..^2], bd[..^2]);
        int batches = batch.Aggregate(1, (x, y) => x * y);
        var result = new List<long>();
        for (int bi = 0; bi < batches; bi++)
        {
            var idx = new int[batch.Length];
            for (int r = bi, d = batch.Length - 1; d >= 0; d--)
            {
                idx[d] = r % batch[d];
                r /= batch[d];
            }

            int aOff = Offset(ad[..^2], idx) * m * k;
            int bOff = Offset(bd[..^2], idx) * k * n;
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    long acc = 0;
                    for (int kk = 0; kk < k; kk++)
                    {
                        acc += (a[aOff + (i * k) + kk] - aZp) * (b[bOff + (kk * n) + j] - bZp);
                    }

                    result.Add(acc);
                }
            }
        }

        return result.ToArray();
    }

    private static int Offset(int[] dims, int[] idx)
    {
        int off = 0;
        int shift = idx.Length - dims.Length;
        for (int d = 0; d < dims.Length; d++)
        {
            off = (off * dims[d]) + (dims[d] == 1 ? 0 : idx[d + shift]);
        }

        return off;
    }
}
