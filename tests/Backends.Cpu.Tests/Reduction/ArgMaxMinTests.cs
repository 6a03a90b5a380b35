using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Reduction;

[OpTest("ArgMax")]
[OpTest("ArgMin")]
public sealed class ArgMaxMinTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (string op in new[] { "ArgMax", "ArgMin" })
        {
            foreach (long axis in new long[] { 0, 1, 2, -1, -3 })
            {
                foreach (long keepDims in new long[] { 0, 1 })
                {
                    foreach (long last in new long[] { 0, 1 })
                    {
                        yield return [op, axis, keepDims, last];
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheNaiveScanWithTies(string op, long axis, long keepDims, long selectLast)
    {
        // Integers drawn from a small range tie often, so first versus last index matters.
        var x = Random(DataType.Int32, 1, [3, 4, 5], lo: 0, hi: 3);
        var y = new OpTester(op, 13).Input(x).Attr("axis", axis).Attr("keepdims", keepDims).Attr("select_last_index", selectLast).RunSingle();
        TensorAssert.Close(Reference(x, op == "ArgMax", axis, keepDims == 1, selectLast == 1), y);
    }

    [Theory]
    [InlineData(DataType.Float32)]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Int64)]
    [InlineData(DataType.Int8)]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int16)]
    [InlineData(DataType.UInt16)]
    [InlineData(DataType.UInt32)]
    [InlineData(DataType.UInt64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    public void EveryNumericType(DataType type)
    {
        var x = Random(type, 2, [4, 6], lo: 0, hi: 50);
        foreach (bool max in new[] { true, false })
        {
            var y = new OpTester(max ? "ArgMax" : "ArgMin", 13).Input(x).Attr("axis", 1L).RunSingle();
            TensorAssert.Close(Reference(x, max, 1, true, false), y);
        }
    }

    [Fact]
    public void DefaultsAreAxisZeroKeepDims()
    {
        var x = Floats(3, [3, 2]);
        TensorAssert.Close(Reference(x, true, 0, true, false), new OpTester("ArgMax", 11).Input(x).RunSingle());
    }

    [Theory]
    [InlineData("ArgMax", 2L)]
    [InlineData("ArgMin", -3L)]
    public void AxisOutOfRangeIsRejected(string op, long axis) =>
        Rejects(() => new OpTester(op).Input(Floats(1, [2, 3])).Attr("axis", axis).Run(), $"axis {axis} is out of range for rank 2");

    [Fact]
    public void EmptyAxisIsRejected() =>
        Rejects(() => new OpTester("ArgMax").Input(new Tensor<float>([2, 0])).Attr("axis", 1L).Run(), "size 0");

    /// <summary>Index of the first (or last) extreme value along the axis, by a plain scan of each fiber.</summary>
    private static Tensor Reference(Tensor x, bool max, long axisAttribute, bool keepDims, bool last)
    {
        int axis = (int)(axisAttribute < 0 ? axisAttribute + x.Rank : axisAttribute);
        int[] dims = x.DimsArray();
        int[] outDims = dims.Select((d, i) => i == axis ? 1 : d).ToArray();
        var xv = x.ToDoubleArray();
        var y = new long[Product(outDims)];
        for (int o = 0; o < y.Length; o++)
        {
            int[] c = Unravel(o, outDims);
            int best = 0;
            for (int k = 0; k < dims[axis]; k++)
            {
                c[axis] = k;
                double v = xv[Linear(dims, c)];
                c[axis] = best;
                double b = xv[Linear(dims, c)];
                if ((max ? v > b : v < b) || (last && v == b))
                {
                    best = k;
                }
            }

            y[o] = best;
        }

        return Tensor.Create(y, keepDims ? outDims : dims.Where((_, i) => i != axis).ToArray());
    }
}
