using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("GatherElements")]
public sealed class GatherElementsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void PicksAlongAxis(int axis)
    {
        var x = Iota(3, 4, 2);
        int a = axis < 0 ? axis + 3 : axis;
        var rng = new Random(a);
        int[] idxDims = [2, 3, 2];
        var indices = new Tensor<long>(idxDims);
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = rng.Next(-x.Dims[a], x.Dims[a]);
        }

        var y = new OpTester("GatherElements").Input(x).Input(indices).Attr("axis", (long)axis).RunSingle();
        Equal(Take(x, idxDims, c =>
        {
            var src = (int[])c.Clone();
            long v = indices[Linear(idxDims, c)];
            src[a] = (int)(v < 0 ? v + x.Dims[a] : v);
            return Linear(x.DimsArray(), src);
        }), y);
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesEveryElementType(DataType type)
    {
        var x = Random(type, [2, 2], 3);
        var y = new OpTester("GatherElements").Input(x).Input(Tensor.Create(new[] { 1, 1, 0, 1 }, 2, 2)).Attr("axis", 1L).RunSingle();
        Equal(Take(x, [2, 2], c => Linear([2, 2], [c[0], c[0] == 0 ? 1 : c[1]])), y);
    }

    [Fact]
    public void OutOfRangeIndexNamesValueAndRange()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("GatherElements").Input(Iota(2, 2)).Input(Tensor.Create(new long[] { 0, -3 }, 1, 2)).RunSingle());
        Assert.Contains("-3", ex.Message);
        Assert.Contains("[-2, 2)", ex.Message);
    }
}
