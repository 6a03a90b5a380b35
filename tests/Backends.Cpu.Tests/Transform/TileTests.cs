using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Tile")]
public sealed class TileTests
{
    [Theory]
    [InlineData(new[] { 2, 3 }, new long[] { 1, 1 })]
    [InlineData(new[] { 2, 3 }, new long[] { 2, 1 })]
    [InlineData(new[] { 2, 3 }, new long[] { 1, 3 })]
    [InlineData(new[] { 2, 1, 3 }, new long[] { 2, 4, 2 })]
    [InlineData(new[] { 4 }, new long[] { 0 })]
    public void RepeatsEachAxis(int[] dims, long[] repeats)
    {
        var x = Floats(dims, 2);
        var y = new OpTester("Tile").Input(x).Input(Longs(repeats)).RunSingle();
        Equal(Reference(x, repeats), y);
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesEveryElementType(DataType type)
    {
        var x = Random(type, [2, 2], 6);
        var y = new OpTester("Tile").Input(x).Input(Longs(2, 3)).RunSingle();
        Equal(Reference(x, [2, 3]), y);
    }

    [Fact]
    public void OpsetOneTilesOneAxis()
    {
        var x = Iota(2, 2);
        var y = new OpTester("Tile", 1).Input(x).Input(Longs(3)).Input(Longs(1)).RunSingle();
        Equal(Reference(x, [1, 3]), y);
    }

    [Fact]
    public void RepeatsOfWrongLengthAreRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Tile").Input(Iota(2, 2)).Input(Longs(2)).RunSingle());
        Assert.Contains("rank 2", ex.Message);
    }

    private static Tensor Reference(Tensor x, long[] repeats)
    {
        int[] inDims = x.DimsArray();
        int[] outDims = inDims.Select((d, k) => d * (int)repeats[k]).ToArray();
        return Take(x, outDims, c => Linear(inDims, c.Select((v, k) => v % inDims[k]).ToArray()));
    }
}
