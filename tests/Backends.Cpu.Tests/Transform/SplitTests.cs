using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Split")]
public sealed class SplitTests
{
    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void SplitsEveryElementTypeBySizes(DataType type)
    {
        var x = Random(type, [2, 6, 3], 4);
        var outs = new OpTester("Split").Input(x).Input(Longs(1, 3, 2)).Attr("axis", 1L).Outputs(3).Run();
        int start = 0;
        foreach (var (y, size) in outs.Zip([1, 3, 2]))
        {
            int s = start;
            Equal(Take(x, [2, size, 3], c => Linear([2, 6, 3], [c[0], c[1] + s, c[2]])), y);
            start += size;
        }
    }

    [Fact]
    public void EqualPartsByDefault()
    {
        var outs = new OpTester("Split").Input(Iota(6)).Outputs(3).Run();
        Assert.Equal(new float[] { 0, 1 }, outs[0].AsSpan<float>().ToArray());
        Assert.Equal(new float[] { 2, 3 }, outs[1].AsSpan<float>().ToArray());
        Assert.Equal(new float[] { 4, 5 }, outs[2].AsSpan<float>().ToArray());
    }

    [Fact]
    public void SplitIsAnAttributeBeforeOpset13()
    {
        var outs = new OpTester("Split", 11).Input(Iota(2, 5)).Attr("axis", -1L).Attr("split", new long[] { 4, 1 }).Outputs(2).Run();
        Assert.Equal([2, 4], outs[0].DimsArray());
        Assert.Equal(new float[] { 4, 9 }, outs[1].AsSpan<float>().ToArray());
    }

    [Fact]
    public void ZeroSizedPartsAreEmpty()
    {
        var outs = new OpTester("Split").Input(Iota(3)).Input(Longs(0, 3)).Outputs(2).Run();
        Assert.Equal([0], outs[0].DimsArray());
        Assert.Equal([3], outs[1].DimsArray());
    }

    [Fact]
    public void NumOutputsAllowsAnUnevenLastPartFromOpset18()
    {
        var outs = new OpTester("Split", 18).Input(Iota(7)).Attr("num_outputs", 3L).Outputs(3).Run();
        Assert.Equal(new[] { 3, 3, 1 }, outs.Select(o => o.Length));
        Assert.Equal(new float[] { 6 }, outs[2].AsSpan<float>().ToArray());
    }

    [Fact]
    public void UnevenEqualSplitIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Split").Input(Iota(5)).Outputs(2).Run());
        Assert.Contains("2 equal parts", ex.Message);
    }

    [Fact]
    public void SizesThatDoNotSumAreRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Split").Input(Iota(5)).Input(Longs(2, 2)).Outputs(2).Run());
        Assert.Contains("sums to 4", ex.Message);
    }
}
