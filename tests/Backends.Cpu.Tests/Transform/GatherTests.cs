using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Gather")]
public sealed class GatherTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void GathersAlongAxisWithNegativeIndices(int axis)
    {
        var x = Iota(3, 4, 5);
        int a = axis < 0 ? axis + 3 : axis;
        int n = x.Dims[a];
        var indices = Tensor.Create(new long[] { 0, -1, 1, n - 1, -n, 2 }, 2, 3);
        var y = new OpTester("Gather").Input(x).Input(indices).Attr("axis", (long)axis).RunSingle();
        Equal(Reference(x, indices, a), y);
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesEveryElementType(DataType type)
    {
        var x = Random(type, [4, 3], 1);
        var indices = Tensor.Create(new[] { 3, 0, -2 }, 3);
        var y = new OpTester("Gather").Input(x).Input(indices).RunSingle();
        Equal(Reference(x, indices, 0), y);
    }

    [Fact]
    public void ScalarIndexDropsTheAxis()
    {
        var y = new OpTester("Gather").Input(Iota(2, 3)).Input(Tensor.Scalar(1L)).Attr("axis", 1L).RunSingle();
        Assert.Equal([2], y.DimsArray());
        Assert.Equal(new float[] { 1, 4 }, y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void EmbeddingLookup()
    {
        var table = Floats([50, 16], 8);
        var ids = Tensor.Create(new long[] { 3, 49, 0, 3, 17, 25 }, 2, 3);
        var y = new OpTester("Gather").Input(table).Input(ids).RunSingle();
        Equal(Reference(table, ids, 0), y);
    }

    [Fact]
    public void OutOfRangeIndexNamesValueAndRange()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Gather").Input(Iota(3, 2)).Input(Tensor.Create(new long[] { 0, 7 }, 2)).RunSingle());
        Assert.IsType<OpExecutionException>(ex);
        Assert.Contains("Gather_under_test", ex.Message);
        Assert.Contains("7", ex.Message);
        Assert.Contains("[-3, 3)", ex.Message);
    }

    private static Tensor Reference(Tensor x, Tensor indices, int axis)
    {
        long[] idx = indices.ToInt64Array();
        int[] inDims = x.DimsArray();
        int q = indices.Rank;
        int[] outDims = [.. inDims[..axis], .. indices.DimsArray(), .. inDims[(axis + 1)..]];
        return Take(x, outDims, c =>
        {
            long i = idx[Linear(indices.DimsArray(), c[axis..(axis + q)])];
            int[] src = [.. c[..axis], (int)(i < 0 ? i + inDims[axis] : i), .. c[(axis + q)..]];
            return Linear(inDims, src);
        });
    }
}
