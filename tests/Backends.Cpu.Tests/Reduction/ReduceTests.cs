using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Reduction;

/// <summary>
/// The ten Reduce* ops against one oracle: elements sharing the kept coordinates form a group, the group is folded in
/// double with the op's formula, integer results truncate toward zero.
/// </summary>
[OpTest("ReduceSum")]
[OpTest("ReduceMean")]
[OpTest("ReduceMax")]
[OpTest("ReduceMin")]
[OpTest("ReduceProd")]
[OpTest("ReduceL1")]
[OpTest("ReduceL2")]
[OpTest("ReduceLogSum")]
[OpTest("ReduceLogSumExp")]
[OpTest("ReduceSumSquare")]
public sealed class ReduceTests
{
    private static readonly string[] s_ops =
    [
        "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
        "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare",
    ];

    private static readonly long[][] s_axes = [[], [0], [1], [2], [-1], [0, 2], [1, 2], [0, 1, 2], [2, 0, -3]];

    public static IEnumerable<object[]> Ops() => s_ops.Select(op => new object[] { op });

    [Theory]
    [MemberData(nameof(Ops))]
    public void AxesAsInputFromOpset18(string op)
    {
        // Positive values keep ReduceLogSum defined; [3, 4, 5] gives contiguous rows (axis 2), strided rows (axis 1) and gathers ([0, 2]).
        var x = Floats(1, [3, 4, 5], 0.1, 2);
        foreach (long[] axes in s_axes)
        {
            foreach (long keepDims in new long[] { 0, 1 })
            {
                var y = new OpTester(op, 18).Input(x).Input(Tensor.Create(axes, axes.Length)).Attr("keepdims", keepDims).RunSingle();
                Check(Reference(op, x, axes, keepDims == 1), y, op, axes);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void AxesAsAttributeBeforeTheInputOpset(string op)
    {
        long opset = op == "ReduceSum" ? 11 : 13;
        var x = Floats(2, [2, 3, 4, 3], 0.1, 2);
        foreach (long[] axes in new long[][] { [1], [-1], [0, 3], [1, 3] })
        {
            var y = new OpTester(op, opset).Input(x).Attr("axes", axes).Attr("keepdims", 0L).RunSingle();
            Check(Reference(op, x, axes, false), y, op, axes);
        }

        var all = new OpTester(op, opset).Input(x).RunSingle();
        Check(Reference(op, x, [0, 1, 2, 3], true), all, op, []);
    }

    [Fact]
    public void ReduceSumTakesAxesAsInputFromOpset13()
    {
        var x = Floats(3, [4, 3, 2]);
        var y = new OpTester("ReduceSum", 13).Input(x).ConstantInput(Tensor.Create(new long[] { 1 }, 1)).Attr("keepdims", 0L).RunSingle();
        TensorAssert.Close(Reference("ReduceSum", x, [1], false), y, 1e-5, 1e-6);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void OmittedAxesReduceEverythingUnlessNoop(string op)
    {
        var x = Floats(4, [2, 3], 0.1, 2);
        var all = new OpTester(op, 18).Input(x).Attr("keepdims", 0L).RunSingle();
        Check(Reference(op, x, [0, 1], false), all, op, []);

        var emptyAxes = new OpTester(op, 18).Input(x).Input(Tensor.Create(Array.Empty<long>(), 0)).RunSingle();
        Check(Reference(op, x, [0, 1], true), emptyAxes, op, []);

        // noop_with_empty_axes: nothing is reduced; each element is folded over itself (the identity for these ops).
        if (op is "ReduceSum" or "ReduceMean" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceLogSumExp")
        {
            var noop = new OpTester(op, 18).Input(x).Attr("noop_with_empty_axes", 1L).RunSingle();
            TensorAssert.Close(x, noop, 1e-6, 1e-7);
        }
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Int32)]
    [InlineData(DataType.Int64)]
    [InlineData(DataType.UInt32)]
    [InlineData(DataType.UInt64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    public void OtherTypes(DataType type)
    {
        bool unsigned = type is DataType.UInt32 or DataType.UInt64;
        var x = Random(type, 5, [3, 4, 2], lo: unsigned ? 1 : -4, hi: 5);
        foreach (string op in s_ops)
        {
            // The inputs include negatives, whose sums have no logarithm.
            if (op == "ReduceLogSum")
            {
                continue;
            }

            foreach (long[] axes in new long[][] { [1], [0, 2], [2] })
            {
                var y = new OpTester(op, 18).Input(x).Input(Tensor.Create(axes, axes.Length)).RunSingle();
                double tol = type == DataType.BFloat16 ? 3e-2 : type == DataType.Float16 ? 3e-3 : 1e-9;
                TensorAssert.Close(Reference(op, x, axes, true), y, tol, tol);
            }
        }
    }

    [Theory]
    [InlineData("ReduceMax", DataType.Int8)]
    [InlineData("ReduceMin", DataType.UInt8)]
    public void MaxAndMinTakeBytes(string op, DataType type)
    {
        var x = Random(type, 6, [4, 5], lo: type == DataType.UInt8 ? 0 : -100, hi: 100);
        var y = new OpTester(op, 18).Input(x).Input(Tensor.Create(new long[] { 0 }, 1)).Attr("keepdims", 0L).RunSingle();
        TensorAssert.Close(Reference(op, x, [0], false), y, 0, 0);
    }

    [Theory]
    [InlineData("ReduceSum", 0.0)]
    [InlineData("ReduceProd", 1.0)]
    [InlineData("ReduceMax", double.NegativeInfinity)]
    [InlineData("ReduceMin", double.PositiveInfinity)]
    [InlineData("ReduceL1", 0.0)]
    [InlineData("ReduceL2", 0.0)]
    [InlineData("ReduceSumSquare", 0.0)]
    [InlineData("ReduceLogSum", double.NegativeInfinity)]
    [InlineData("ReduceLogSumExp", double.NegativeInfinity)]
    public void EmptyReducedSetGivesTheIdentity(string op, double expected)
    {
        var x = new Tensor<float>([2, 0, 3]);
        var y = new OpTester(op, 18).Input(x).Input(Tensor.Create(new long[] { 1 }, 1)).RunSingle();
        TensorAssert.Close(FromDoubles(DataType.Float32, Enumerable.Repeat(expected, 6).ToArray(), [2, 1, 3]), y, 0, 0);
    }

    [Fact]
    public void NaNPropagatesThroughMaxAndMin()
    {
        var x = Tensor.Create(new[] { 1f, float.NaN, 3f, 4f, 5f, 6f }, 2, 3);
        foreach (string op in new[] { "ReduceMax", "ReduceMin" })
        {
            var y = new OpTester(op, 18).Input(x).Input(Tensor.Create(new long[] { 1 }, 1)).Attr("keepdims", 0L).RunSingle();
            var v = y.ToDoubleArray();
            Assert.True(double.IsNaN(v[0]), $"{op} row 0 should be NaN");
            Assert.Equal(op == "ReduceMax" ? 6 : 4, v[1]);
        }
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void AxisOutOfRangeIsRejected(string op)
    {
        Rejects(() => new OpTester(op, 18).Input(Floats(1, [2, 3, 4])).Input(Tensor.Create(new long[] { 3 }, 1)).Run(), "axis 3 is out of range for rank 3");
        Rejects(() => new OpTester(op, op == "ReduceSum" ? 11 : 13).Input(Floats(1, [2, 3, 4])).Attr("axes", new long[] { -4 }).Run(), "axis -4 is out of range for rank 3");
    }

    [Fact]
    public void BoolInputIsRejected() =>
        Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ReduceSum", 18).Input(new Tensor<bool>([2, 2])).Run());

    private static void Check(Tensor expected, Tensor actual, string op, long[] axes)
    {
        if (TensorAssert.Compare(expected, actual, 1e-4, 1e-5) is { } why)
        {
            throw new Xunit.Sdk.XunitException($"{op} axes [{string.Join(",", axes)}]: {why}");
        }
    }

    internal static Tensor Reference(string op, Tensor x, long[] axes, bool keepDims)
    {
        int rank = x.Rank;
        var reduced = new bool[rank];
        foreach (long a in axes)
        {
            reduced[a < 0 ? a + rank : a] = true;
        }

        if (axes.Length == 0)
        {
            Array.Fill(reduced, true);
        }

        int[] keptDims = Enumerable.Range(0, rank).Where(d => !reduced[d]).Select(d => x.Dims[d]).ToArray();
        var groups = new List<double>[Product(keptDims)];
        for (int g = 0; g < groups.Length; g++)
        {
            groups[g] = [];
        }

        var xv = x.ToDoubleArray();
        for (int i = 0; i < xv.Length; i++)
        {
            int[] c = Unravel(i, x.Dims);
            groups[Linear(keptDims, Enumerable.Range(0, rank).Where(d => !reduced[d]).Select(d => c[d]).ToArray())].Add(xv[i]);
        }

        var y = groups.Select(v => op switch
        {
            "ReduceSum" => v.Sum(),
            "ReduceMean" => v.Sum() / v.Count,
            "ReduceMax" => v.Max(),
            "ReduceMin" => v.Min(),
            "ReduceProd" => v.Aggregate(1.0, (p, e) => p * e),
            "ReduceL1" => v.Sum(Math.Abs),
            "ReduceL2" => Math.Sqrt(v.Sum(e => e * e)),
            "ReduceLogSum" => Math.Log(v.Sum()),
            "ReduceLogSumExp" => Math.Log(v.Sum(Math.Exp)),
            "ReduceSumSquare" => v.Sum(e => e * e),
            _ => throw new ArgumentException(op),
        }).Select(v => x.DataType.IsFloatingPoint() ? v : Math.Truncate(v)).ToArray();
        int[] dims = keepDims ? x.DimsArray().Select((d, i) => reduced[i] ? 1 : d).ToArray() : keptDims;
        return FromDoubles(x.DataType, y, dims);
    }
}
