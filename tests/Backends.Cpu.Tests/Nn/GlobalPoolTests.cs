using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("GlobalAveragePool")]
[OpTest("GlobalMaxPool")]
[OpTest("GlobalLpPool")]
public sealed class GlobalPoolTests
{
    public static IEnumerable<object[]> Shapes() =>
    [
        [new[] { 2, 3 }],
        [new[] { 2, 3, 7 }],
        [new[] { 1, 4, 5, 6 }],
        [new[] { 2, 2, 3, 1, 4 }],
        [new[] { 1, 3, 40, 41 }],
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AverageMaxAndLpOverEachPlane(int[] dims)
    {
        var x = Floats(1, dims);
        TensorAssert.Close(Reference(x, v => v.Average()), new OpTester("GlobalAveragePool").Input(x).RunSingle(), 1e-5, 1e-6);
        TensorAssert.Close(Reference(x, v => v.Max()), new OpTester("GlobalMaxPool").Input(x).RunSingle(), 0, 0);
        TensorAssert.Close(Reference(x, v => Math.Sqrt(v.Sum(e => e * e))), new OpTester("GlobalLpPool").Input(x).RunSingle(), 1e-5, 1e-6);
        TensorAssert.Close(Reference(x, v => Math.Pow(v.Sum(e => Math.Pow(Math.Abs(e), 3)), 1 / 3.0)), new OpTester("GlobalLpPool").Input(x).Attr("p", 3L).RunSingle(), 1e-5, 1e-6);
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    public void OtherFloatTypes(DataType type)
    {
        var x = Random(type, 2, [2, 3, 4, 4]);
        double tol = type == DataType.Float64 ? 1e-12 : type == DataType.Float16 ? 2e-3 : 2e-2;
        TensorAssert.Close(Reference(x, v => v.Average()), new OpTester("GlobalAveragePool").Input(x).RunSingle(), tol, tol);
        TensorAssert.Close(Reference(x, v => v.Max()), new OpTester("GlobalMaxPool").Input(x).RunSingle(), 0, 0);
        TensorAssert.Close(Reference(x, v => Math.Sqrt(v.Sum(e => e * e))), new OpTester("GlobalLpPool").Input(x).RunSingle(), tol, tol);
    }

    [Fact]
    public void GlobalLpPoolOpset1TakesAFloatP()
    {
        var x = Doubles(3, [1, 2, 3, 3]);
        TensorAssert.Close(Reference(x, v => v.Sum(Math.Abs)), new OpTester("GlobalLpPool", 1).Input(x).Attr("p", 1f).RunSingle(), 1e-12, 1e-12);
    }

    [Theory]
    [InlineData("GlobalAveragePool")]
    [InlineData("GlobalMaxPool")]
    [InlineData("GlobalLpPool")]
    public void RankOneInputIsRejected(string op) =>
        Rejects(() => new OpTester(op).Input(Floats(1, [5])).Run(), "rank >= 2", "[5]");

    [Fact]
    public void IntegerInputIsRejected() =>
        Rejects(() => new OpTester("GlobalMaxPool").Input(Random(DataType.Int32, 1, [1, 2, 2])).Run(), "int32");

    /// <summary>Y[n, c, 1, ...] = f(all elements of plane (n, c)).</summary>
    private static Tensor Reference(Tensor x, Func<double[], double> f)
    {
        int planes = x.Dims[0] * x.Dims[1];
        int size = x.Length / planes;
        var xv = x.ToDoubleArray();
        var y = new double[planes];
        for (int p = 0; p < planes; p++)
        {
            y[p] = f(xv[(p * size)..((p + 1) * size)]);
        }

        int[] dims = x.DimsArray();
        for (int d = 2; d < dims.Length; d++)
        {
            dims[d] = 1;
        }

        return FromDoubles(x.DataType, y, dims);
    }
}
