using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("GatherND")]
public sealed class GatherNDTests
{
    [Fact]
    public void SpecExamples()
    {
        var data = Tensor.Create(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }, 2, 2, 2);
        var y1 = new OpTester("GatherND").Input(data).Input(Tensor.Create(new long[] { 0, 1, 1, 0 }, 2, 2)).RunSingle();
        Assert.Equal([2, 2], y1.DimsArray());
        Assert.Equal(new long[] { 2, 3, 4, 5 }, y1.ToInt64Array());

        var y2 = new OpTester("GatherND").Input(data).Input(Tensor.Create(new long[] { 1, 0 }, 2, 1)).Attr("batch_dims", 1L).RunSingle();
        Assert.Equal([2, 2], y2.DimsArray());
        Assert.Equal(new long[] { 2, 3, 4, 5 }, y2.ToInt64Array());
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void GathersFullTuplesForEveryElementType(DataType type)
    {
        var x = Random(type, [3, 4], 2);
        var y = new OpTester("GatherND").Input(x).Input(Tensor.Create(new long[] { 2, -1, 0, 0, -3, 1 }, 3, 2)).RunSingle();
        Equal(Take(x, [3], c => new[] { 11, 0, 1 }[c[0]]), y);
    }

    [Fact]
    public void OutOfRangeIndexNamesValueAndRange()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("GatherND").Input(Iota(2, 3)).Input(Tensor.Create(new long[] { 1, 3 }, 1, 2)).RunSingle());
        Assert.Contains("value 3", ex.Message);
        Assert.Contains("[-3, 3)", ex.Message);
    }

    [Fact]
    public void TooLongIndexTuplesAreRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("GatherND").Input(Iota(2, 3)).Input(Tensor.Create(new long[] { 0, 0, 0 }, 1, 3)).RunSingle());
        Assert.Contains("indices.shape[-1] = 3", ex.Message);
    }
}
