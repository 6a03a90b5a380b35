using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Transpose")]
public sealed class TransposeTests
{
    public static IEnumerable<object[]> Permutations4() =>
        Permute([0, 1, 2, 3]).Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(Permutations4))]
    public void EveryPermutationOfRank4(int[] perm)
    {
        var x = Iota(2, 3, 4, 5);
        var y = new OpTester("Transpose").Input(x).Attr("perm", perm.Select(p => (long)p).ToArray()).RunSingle();
        Equal(Reference(x, perm), y);
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesEveryElementType(DataType type)
    {
        int[] perm = [2, 0, 1];
        var x = Random(type, [3, 4, 5], 3);
        var y = new OpTester("Transpose").Input(x).Attr("perm", new long[] { 2, 0, 1 }).RunSingle();
        Equal(Reference(x, perm), y);
    }

    [Fact]
    public void TiledPathMovesStrings()
    {
        var x = Random(DataType.String, [19, 35], 8);
        Equal(Reference(x, [1, 0]), new OpTester("Transpose").Input(x).RunSingle());
    }

    [Fact]
    public void DefaultReversesAxes()
    {
        var x = Iota(2, 3, 4);
        var y = new OpTester("Transpose").Input(x).RunSingle();
        Equal(Reference(x, [2, 1, 0]), y);
    }

    [Theory]
    [InlineData(new[] { 1, 64, 1 }, new[] { 2, 0, 1 })]
    [InlineData(new[] { 2, 7, 3, 16 }, new[] { 0, 2, 1, 3 })]
    [InlineData(new[] { 2, 3, 17, 5 }, new[] { 0, 1, 3, 2 })]
    [InlineData(new[] { 0, 3 }, new[] { 1, 0 })]
    [InlineData(new[] { 3, 37, 41 }, new[] { 0, 2, 1 })]
    [InlineData(new[] { 33, 2, 20 }, new[] { 2, 1, 0 })]
    public void TransformerShapes(int[] dims, int[] perm)
    {
        var x = Floats(dims, 5);
        var y = new OpTester("Transpose").Input(x).Attr("perm", perm.Select(p => (long)p).ToArray()).RunSingle();
        Equal(Reference(x, perm), y);
    }

    [Fact]
    public void InvalidPermIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Transpose").Input(Iota(2, 3)).Attr("perm", new long[] { 0, 0 }).RunSingle());
        Assert.Contains("perm [0,0]", ex.Message);
    }

    private static Tensor Reference(Tensor x, int[] perm)
    {
        int[] outDims = perm.Select(p => x.Dims[p]).ToArray();
        int[] inDims = x.DimsArray();
        return Take(x, outDims, c =>
        {
            var src = new int[perm.Length];
            for (int i = 0; i < perm.Length; i++)
            {
                src[perm[i]] = c[i];
            }

            return Linear(inDims, src);
        });
    }

    private static IEnumerable<int[]> Permute(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (int i = 0; i < items.Length; i++)
        {
            foreach (var rest in Permute(items.Where((_, j) => j != i).ToArray()))
            {
                yield return [items[i], .. rest];
            }
        }
    }
}
