using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Unique")]
public sealed class UniqueTests
{
    [Fact]
    public void SortedWithoutAxis()
    {
        var outs = new OpTester("Unique").Input(Tensor.Create(new[] { 2f, 1f, 1f, 3f, 4f, 3f }, 6)).Outputs(4).Run();
        Assert.Equal(new float[] { 1, 2, 3, 4 }, outs[0].AsSpan<float>().ToArray());
        Assert.Equal(new long[] { 1, 0, 3, 4 }, outs[1].ToInt64Array());
        Assert.Equal(new long[] { 1, 0, 0, 2, 3, 2 }, outs[2].ToInt64Array());
        Assert.Equal(new long[] { 2, 1, 2, 1 }, outs[3].ToInt64Array());
    }

    [Fact]
    public void FirstOccurrenceOrderWhenNotSorted()
    {
        var outs = new OpTester("Unique").Input(new StringTensor(["b", "a", "b", "c", "a"], [5])).Attr("sorted", 0L).Outputs(4).Run();
        Equal(new StringTensor(["b", "a", "c"], [3]), outs[0]);
        Assert.Equal(new long[] { 0, 1, 3 }, outs[1].ToInt64Array());
        Assert.Equal(new long[] { 0, 1, 0, 2, 1 }, outs[2].ToInt64Array());
        Assert.Equal(new long[] { 2, 2, 1 }, outs[3].ToInt64Array());
    }

    [Fact]
    public void UniqueSlicesAlongAxis()
    {
        // Columns of [[1, 0, 1], [2, 5, 2]]: column 0 == column 2.
        var x = Tensor.Create(new long[] { 1, 0, 1, 2, 5, 2 }, 2, 3);
        var outs = new OpTester("Unique").Input(x).Attr("axis", -1L).Outputs(4).Run();
        Assert.Equal([2, 2], outs[0].DimsArray());
        Assert.Equal(new long[] { 0, 1, 5, 2 }, outs[0].ToInt64Array());
        Assert.Equal(new long[] { 1, 0 }, outs[1].ToInt64Array());
        Assert.Equal(new long[] { 1, 0, 1 }, outs[2].ToInt64Array());
        Assert.Equal(new long[] { 1, 2 }, outs[3].ToInt64Array());
    }

    [Fact]
    public void OnlyTheFirstOutputMayBeRequested()
    {
        var y = new OpTester("Unique").Input(Tensor.Create(new[] { 3, 3, 1 }, 3)).RunSingle();
        Assert.Equal(new long[] { 1, 3 }, y.ToInt64Array());
    }

    [Fact]
    public void AxisOutOfRangeIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Unique").Input(Iota(2)).Attr("axis", 1L).RunSingle());
        Assert.Contains("axis 1", ex.Message);
    }
}
