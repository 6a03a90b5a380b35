using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

/// <summary>
/// Softmax, LogSoftmax and Hardmax. The oracle takes a set of axes: before opset 13 the op runs over the flattened
/// trailing dims [axis, rank) (coerced to 2-D), from opset 13 over the single axis.
/// </summary>
[OpTest("Softmax")]
[OpTest("LogSoftmax")]
[OpTest("Hardmax")]
public sealed class SoftmaxTests
{
    public static IEnumerable<object?[]> Cases()
    {
        foreach (string op in new[] { "Softmax", "LogSoftmax", "Hardmax" })
        {
            foreach (long opset in new long[] { 11, 13 })
            {
                foreach (long? axis in new long?[] { null, 0, 1, 2, -1, -2 })
                {
                    yield return [op, opset, axis];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheNaiveFormula(string op, long opset, long? axis)
    {
        var x = Floats(1, [3, 4, 5], -4, 4);
        var tester = new OpTester(op, opset).Input(x);
        if (axis is long a)
        {
            tester.Attr("axis", a);
        }

        long ax = axis ?? (opset < 13 ? 1 : -1);
        TensorAssert.Close(Reference(op, x, ax < 0 ? (int)ax + 3 : (int)ax, coerce: opset < 13), tester.RunSingle(), 1e-5, 1e-6);
    }

    [Theory]
    [InlineData("Softmax")]
    [InlineData("LogSoftmax")]
    [InlineData("Hardmax")]
    public void LongRowsAndLargeValues(string op)
    {
        var x = Floats(2, [3, 1000], -80, 80);
        x[17] = 1000f;
        TensorAssert.Close(Reference(op, x, 1, false), new OpTester(op).Input(x).RunSingle(), 1e-4, 1e-6);
    }

    [Theory]
    [InlineData("Softmax", DataType.Float64)]
    [InlineData("LogSoftmax", DataType.Float16)]
    [InlineData("Hardmax", DataType.BFloat16)]
    [InlineData("Softmax", DataType.BFloat16)]
    public void OtherFloatTypes(string op, DataType type)
    {
        var x = Random(type, 3, [2, 3, 4]);
        double tol = type == DataType.Float64 ? 1e-12 : type == DataType.Float16 ? 3e-3 : 2e-2;
        TensorAssert.Close(Reference(op, x, 1, false), new OpTester(op).Input(x).Attr("axis", 1L).RunSingle(), tol, tol);
    }

    [Fact]
    public void HardmaxPicksTheFirstOfTiedMaxima()
    {
        var x = Tensor.Create(new[] { 1f, 3f, 3f, 2f, 5f, 5f, 5f, 0f }, 2, 4);
        TensorAssert.Close(new[] { 0f, 1f, 0f, 0f, 1f, 0f, 0f, 0f }, [2, 4], new OpTester("Hardmax").Input(x).RunSingle());
        var columns = new OpTester("Hardmax").Input(x.Reshape([2, 2, 2])).Attr("axis", 1L).RunSingle();
        TensorAssert.Close(new[] { 0f, 1f, 1f, 0f, 1f, 1f, 0f, 0f }, [2, 2, 2], columns);
    }

    [Theory]
    [InlineData("Softmax", 13L, 3L)]
    [InlineData("LogSoftmax", 13L, -4L)]
    [InlineData("Hardmax", 11L, 5L)]
    public void AxisOutOfRangeIsRejected(string op, long opset, long axis) =>
        Rejects(() => new OpTester(op, opset).Input(Floats(1, [2, 3, 4])).Attr("axis", axis).Run(), $"axis {axis}", "rank 3");

    [Fact]
    public void IntegerInputIsRejected() =>
        Rejects(() => new OpTester("Softmax").Input(Random(DataType.Int32, 1, [2, 3])).Run(), "int32");

    /// <summary>
    /// Groups elements that share the coordinates outside the reduced axes ([axis, rank) when coerced, else {axis}) and applies
    /// softmax = e^x / sum e^x, log softmax = x - log sum e^x (both shifted by the group max), hardmax = one-hot of the first max.
    /// </summary>
    private static Tensor Reference(string op, Tensor x, int axis, bool coerce)
    {
        var xv = x.ToDoubleArray();
        var y = new double[xv.Length];
        var key = (int i) => string.Join(",", Unravel(i, x.Dims).Select((c, d) => d == axis || (coerce && d > axis) ? -1 : c));
        foreach (var g in Enumerable.Range(0, xv.Length).GroupBy(key))
        {
            int[] members = [.. g];
            double max = members.Max(i => xv[i]);
            double sum = members.Sum(i => Math.Exp(xv[i] - max));
            int first = members.First(i => xv[i] == max);
            foreach (int i in members)
            {
                y[i] = op switch
                {
                    "Softmax" => Math.Exp(xv[i] - max) / sum,
                    "LogSoftmax" => xv[i] - max - Math.Log(sum),
                    _ => i == first ? 1 : 0,
                };
            }
        }

        return FromDoubles(x.DataType, y, x.DimsArray());
    }
}
