using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("Gemm")]
public sealed class GemmTests
{
    [Theory]
    [InlineData(0, 0, 1f, 1f, new[] { 3, 5 })]
    [InlineData(1, 0, 0.5f, 2f, new[] { 5 })]
    [InlineData(0, 1, -1.5f, 0.25f, new[] { 3, 1 })]
    [InlineData(1, 1, 2f, -1f, new[] { 1, 5 })]
    [InlineData(0, 0, 1f, 3f, new int[0])]
    [InlineData(1, 1, 1f, 1f, new[] { 1 })]
    [InlineData(0, 1, 1f, 0f, new[] { 3, 5 })]
    public void MatchesNaiveFormula(int transA, int transB, float alpha, float beta, int[] cDims)
    {
        const int M = 3, N = 5, K = 4;
        var a = Floats(1, transA == 1 ? [K, M] : [M, K]);
        var b = Floats(2, transB == 1 ? [N, K] : [K, N]);
        var c = Floats(3, cDims);
        var y = new OpTester("Gemm", 13).Input(a).Input(b).Input(c)
            .Attr("transA", transA).Attr("transB", transB).Attr("alpha", alpha).Attr("beta", beta).RunSingle();
        TensorAssert.Close(Reference(a, b, c, transA == 1, transB == 1, alpha, beta), y, 1e-4, 1e-5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConstantTransposedWeightsAndLargeShapes(bool constant)
    {
        var a = Floats(4, [33, 70]);
        var b = Floats(5, [47, 70]);
        var c = Floats(6, [47]);
        var tester = new OpTester("Gemm").Input(a);
        tester = constant ? tester.ConstantInput(b) : tester.Input(b);
        var y = tester.Input(c).Attr("transB", 1L).Attr("alpha", 0.75f).RunSingle();
        TensorAssert.Close(Reference(a, b, c, false, true, 0.75f, 1f), y, 1e-4, 1e-4);
    }

    /// <summary>A few rows against a constant (packed) weight take the GEMV: constant C as bias, C ignored by beta 0, no C, runtime C.</summary>
    [Theory]
    [InlineData(1, "const", 1f)]
    [InlineData(3, "const", 0.5f)]
    [InlineData(2, "none", 1f)]
    [InlineData(4, "runtime", 0f)]
    [InlineData(1, "runtime", 2f)]
    public void FewRowsAgainstConstantWeight(int m, string cKind, float beta)
    {
        var a = Floats(9, [m, 70]);
        var b = Floats(10, [83, 70]);
        var c = Floats(11, [83]);
        var tester = new OpTester("Gemm").Input(a).ConstantInput(b);
        tester = cKind switch { "const" => tester.ConstantInput(c), "runtime" => tester.Input(c), _ => tester };
        var y = tester.Attr("transB", 1L).Attr("beta", beta).RunSingle();
        TensorAssert.Close(Reference(a, b, cKind == "none" ? null : c, false, true, 1f, beta), y, 1e-4, 1e-5);
    }

    [Fact]
    public void CIsOptionalFromOpset11()
    {
        var a = Floats(7, [2, 3]);
        var b = Floats(8, [3, 4]);
        var y = new OpTester("Gemm", 11).Input(a).Input(b).Attr("alpha", 2f).RunSingle();
        TensorAssert.Close(Reference(a, b, null, false, false, 2f, 1f), y, 1e-4, 1e-5);
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Int32)]
    [InlineData(DataType.Int64)]
    [InlineData(DataType.UInt64)]
    [InlineData(DataType.Float16)]
    public void OtherTypes(DataType type)
    {
        var a = Random(type, 1, [4, 3], lo: 0, hi: 7);
        var b = Random(type, 2, [4, 5], lo: 0, hi: 7);
        var c = Random(type, 3, [1, 5], lo: 0, hi: 7);
        var y = new OpTester("Gemm", 13).Input(a).Input(b).Input(c).Attr("transA", 1L).Attr("alpha", 2f).Attr("beta", 3f).RunSingle();
        TensorAssert.Close(Reference(a, b, c, true, false, 2f, 3f), y, type == DataType.Float16 ? 5e-3 : 1e-9, 1e-3);
    }

    [Fact]
    public void InnerDimensionMismatchIsRejected() =>
        Rejects(() => new OpTester("Gemm").Input(Floats(1, [3, 4])).Input(Floats(2, [5, 2])).Run(), "inner dimensions do not match", "K=4", "K=5");

    [Fact]
    public void NonBroadcastableCIsRejected() =>
        Rejects(() => new OpTester("Gemm").Input(Floats(1, [3, 4])).Input(Floats(2, [4, 2])).Input(Floats(3, [3, 3])).Run(), "C [3,3]", "[3,2]");

    [Fact]
    public void ThreeDimensionalAIsRejected() =>
        Rejects(() => new OpTester("Gemm").Input(Floats(1, [2, 3, 4])).Input(Floats(2, [4, 2])).Run(), "2-D", "[2,3,4]");

    /// <summary>Y[i, j] = alpha * sum_k A'[i, k] B'[k, j] + beta * C[i or 0, j or 0], in double.</summary>
    private static Tensor Reference(Tensor a, Tensor b, Tensor? c, bool transA, bool transB, float alpha, float beta)
    {
        int m = transA ? a.Dims[1] : a.Dims[0];
        int k = transA ? a.Dims[0] : a.Dims[1];
        int n = transB ? b.Dims[0] : b.Dims[1];
        var av = a.ToDoubleArray();
        var bv = b.ToDoubleArray();
        var cv = c?.ToDoubleArray();
        var y = new double[m * n];
        bool integer = !a.DataType.IsFloatingPoint();
        double al = integer ? Math.Truncate(alpha) : alpha;
        double be = integer ? Math.Truncate(beta) : beta;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int kk = 0; kk < k; kk++)
                {
                    double x = transA ? av[(kk * m) + i] : av[(i * k) + kk];
                    double w = transB ? bv[(j * k) + kk] : bv[(kk * n) + j];
                    sum += x * w;
                }

                double bias = 0;
                if (cv is not null)
                {
                    int rows = c!.Rank == 2 ? c.Dims[0] : 1;
                    int cols = c.Rank >= 1 ? c.Dims[^1] : 1;
                    bias = cv[((rows == 1 ? 0 : i) * cols) + (cols == 1 ? 0 : j)];
                }

                y[(i * n) + j] = (al * sum) + (be * bias);
            }
        }

        return FromDoubles(a.DataType, y, [m, n]);
    }
}
