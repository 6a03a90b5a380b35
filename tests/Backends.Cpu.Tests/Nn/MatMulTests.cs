using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("MatMul")]
public sealed class MatMulTests
{
    public static IEnumerable<object[]> Shapes() =>
    [
        [new[] { 3, 4 }, new[] { 4, 5 }],
        [new[] { 4 }, new[] { 4, 5 }],
        [new[] { 3, 4 }, new[] { 4 }],
        [new[] { 4 }, new[] { 4 }],
        [new[] { 2, 3, 4 }, new[] { 4, 6 }],
        [new[] { 3, 4 }, new[] { 2, 4, 5 }],
        [new[] { 2, 1, 3, 4 }, new[] { 5, 4, 6 }],
        [new[] { 1, 3, 4 }, new[] { 2, 1, 4, 2 }],
        [new[] { 7 }, new[] { 2, 3, 7, 2 }],
        [new[] { 2, 3, 5, 7 }, new[] { 7 }],
        [new[] { 37, 129 }, new[] { 129, 65 }],
        [new[] { 3, 0 }, new[] { 0, 4 }],
        [new[] { 0, 4 }, new[] { 4, 2 }],
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32MatchesNaiveProduct(int[] aDims, int[] bDims)
    {
        var a = Floats(1, aDims);
        var b = Floats(2, bDims);
        var y = new OpTester("MatMul", 13).Input(a).Input(b).RunSingle();
        TensorAssert.Close(Reference(a, b), y, 1e-4, 1e-5);
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Int32)]
    [InlineData(DataType.Int64)]
    [InlineData(DataType.UInt32)]
    [InlineData(DataType.UInt64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    public void OtherTypesMatchNaiveProduct(DataType type)
    {
        var a = Random(type, 3, [2, 1, 3, 5], lo: 0, hi: 9);
        var b = Random(type, 4, [3, 5, 4], lo: 0, hi: 9);
        var y = new OpTester("MatMul", 13).Input(a).Input(b).RunSingle();
        double rtol = type == DataType.BFloat16 ? 2e-2 : type == DataType.Float16 ? 5e-3 : 1e-9;
        TensorAssert.Close(Reference(a, b), y, rtol, 1e-2);
    }

    [Fact]
    public void ConstantWeightsGiveTheSameResult()
    {
        var a = Floats(5, [4, 6]);
        var b = Floats(6, [6, 3]);
        var y = new OpTester("MatMul").Input(a).ConstantInput(b).RunSingle();
        TensorAssert.Close(Reference(a, b), y, 1e-4, 1e-5);
    }

    [Fact]
    public void InnerDimensionMismatchIsRejected() =>
        Rejects(() => new OpTester("MatMul").Input(Floats(1, [3, 4])).Input(Floats(2, [5, 2])).Run(), "inner dimensions do not match", "K=4", "K=5");

    [Fact]
    public void NonBroadcastableBatchIsRejected() =>
        Rejects(() => new OpTester("MatMul").Input(Floats(1, [2, 3, 4])).Input(Floats(2, [3, 4, 2])).Run(), "[2,3,4]", "[3,4,2]");

    [Fact]
    public void ScalarOperandIsRejected() =>
        Rejects(() => new OpTester("MatMul").Input(Tensor.Scalar(1f)).Input(Floats(2, [3])).Run(), "rank >= 1");

    [Fact]
    public void MixedTypesAreRejected() =>
        Assert.ThrowsAny<AutoGlmException>(() => new OpTester("MatMul").Input(Floats(1, [2, 3])).Input(Doubles(2, [3, 2])).Run());

    /// <summary>numpy.matmul: 1-D operands promoted then squeezed, batch dims broadcast, sums in double.</summary>
    internal static Tensor Reference(Tensor a, Tensor b)
    {
        int[] ad = a.DimsArray(), bd = b.DimsArray();
        int[] a2 = ad.Length == 1 ? [1, ad[0]] : ad;
        int[] b2 = bd.Length == 1 ? [bd[0], 1] : bd;
        int m = a2[^2], k = a2[^1], n = b2[^1];
        int batchRank = Math.Max(a2.Length, b2.Length) - 2;
        var batch = new int[batchRank];
        for (int d = 0; d < batchRank; d++)
        {
            int da = d - (batchRank - (a2.Length - 2)) >= 0 ? a2[d - (batchRank - (a2.Length - 2))] : 1;
            int db = d - (batchRank - (b2.Length - 2)) >= 0 ? b2[d - (batchRank - (b2.Length - 2))] : 1;
            batch[d] = Math.Max(da, db);
        }

        var av = a.ToDoubleArray();
        var bv = b.ToDoubleArray();
        int count = Product(batch) * m * n;
        var y = new double[count];
        for (int i = 0; i < count; i++)
        {
            int[] c = Unravel(i, [.. batch, m, n]);
            double sum = 0;
            for (int kk = 0; kk < k; kk++)
            {
                sum += av[Linear(a2, Index(c, a2, c[batchRank], kk))] * bv[Linear(b2, Index(c, b2, kk, c[batchRank + 1]))];
            }

            y[i] = sum;
        }

        var dims = new List<int>(batch);
        if (ad.Length > 1)
        {
            dims.Add(m);
        }

        if (bd.Length > 1)
        {
            dims.Add(n);
        }

        return FromDoubles(a.DataType, y, [.. dims]);
    }

    // The coordinate in an operand of dims `od` (batch right-aligned, size-1 dims broadcast) for matrix cell (row, col).
    private static int[] Index(int[] outCoord, int[] od, int row, int col)
    {
        var c = new int[od.Length];
        int shift = outCoord.Length - 2 - (od.Length - 2);
        for (int d = 0; d < od.Length - 2; d++)
        {
            c[d] = od[d] == 1 ? 0 : outCoord[d + shift];
        }

        c[^2] = row;
        c[^1] = col;
        return c;
    }
}
