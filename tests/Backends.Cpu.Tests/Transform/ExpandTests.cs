using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Expand")]
public sealed class ExpandTests
{
    [Theory]
    [InlineData(new[] { 3, 1 }, new long[] { 2, 1, 6 }, new[] { 2, 3, 6 })]
    [InlineData(new[] { 3, 1 }, new long[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 1 }, new long[] { 5 }, new[] { 5 })]
    [InlineData(new[] { 2, 3 }, new long[] { 1, 1 }, new[] { 2, 3 })]
    [InlineData(new[] { 4, 1, 2 }, new long[] { 1 }, new[] { 4, 1, 2 })]
    [InlineData(new[] { 1, 3 }, new long[] { 0, 3 }, new[] { 0, 3 })]
    public void BroadcastsBothWays(int[] inDims, long[] shape, int[] outDims)
    {
        var x = Floats(inDims, 3);
        var y = new OpTester("Expand").Input(x).Input(Longs(shape)).RunSingle();
        Equal(Reference(x, outDims), y);
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesEveryElementType(DataType type)
    {
        var x = Random(type, [1, 3], 9);
        var y = new OpTester("Expand").Input(x).Input(Longs(2, 1, 3)).RunSingle();
        Equal(Reference(x, [2, 1, 3]), y);
    }

    [Fact]
    public void IncompatibleShapeIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Expand").Input(Iota(2, 3)).Input(Longs(4, 3)).RunSingle());
        Assert.Contains("[2,3]", ex.Message);
        Assert.Contains("[4,3]", ex.Message);
    }

    // Right-aligned numpy broadcast: a size-1 input dim repeats.
    private static Tensor Reference(Tensor x, int[] outDims)
    {
        int[] inDims = x.DimsArray();
        int shift = outDims.Length - inDims.Length;
        return Take(x, outDims, c => Linear(inDims, inDims.Select((d, k) => d == 1 ? 0 : c[k + shift]).ToArray()));
    }
}
