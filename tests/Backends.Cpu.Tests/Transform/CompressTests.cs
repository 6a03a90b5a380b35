using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Compress")]
public sealed class CompressTests
{
    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void KeepsSelectedSlices(DataType type)
    {
        var x = Random(type, [3, 4], 2);
        var condition = Tensor.Create(new[] { true, false, true }, 3);
        var y = new OpTester("Compress").Input(x).Input(condition).Attr("axis", -1L).RunSingle();
        Equal(Take(x, [3, 2], c => Linear([3, 4], [c[0], c[1] * 2])), y);
    }

    [Fact]
    public void FlattensWithoutAxis()
    {
        var y = new OpTester("Compress").Input(Iota(2, 2)).Input(Tensor.Create(new[] { false, true, false, true }, 4)).RunSingle();
        Assert.Equal([2], y.DimsArray());
        Assert.Equal(new float[] { 1, 3 }, y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void NothingSelectedGivesAnEmptyAxis()
    {
        var y = new OpTester("Compress").Input(Iota(2, 3)).Input(Tensor.Create(new[] { false, false }, 2)).Attr("axis", 0L).RunSingle();
        Assert.Equal([0, 3], y.DimsArray());
    }

    [Fact]
    public void InfersCountFromConstantCondition()
    {
        var tester = new OpTester("Compress").Input(Iota(3, 2)).ConstantInput(Tensor.Create(new[] { true, false, true }, 3)).Attr("axis", 0L);
        Assert.Equal("float32[2,2]", Infer(tester)[0]!.ToString());
        Assert.Equal([2, 2], tester.RunSingle().DimsArray());
    }

    [Fact]
    public void SelectionBeyondTheAxisIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Compress").Input(Iota(2)).Input(Tensor.Create(new[] { false, false, true }, 3)).Attr("axis", 0L).RunSingle());
        Assert.Contains("position 2", ex.Message);
    }
}
