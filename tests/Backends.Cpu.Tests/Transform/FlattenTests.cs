using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Flatten")]
public sealed class FlattenTests
{
    [Theory]
    [InlineData(0, 1, 24)]
    [InlineData(1, 2, 12)]
    [InlineData(2, 6, 4)]
    [InlineData(3, 24, 1)]
    [InlineData(-1, 6, 4)]
    [InlineData(-3, 1, 24)]
    public void SplitsDimsAtAxis(long axis, int rows, int cols)
    {
        var x = Iota(2, 3, 4);
        var y = new OpTester("Flatten").Input(x).Attr("axis", axis).RunSingle();
        Assert.Equal([rows, cols], y.DimsArray());
        Assert.Equal(x.ToArray(), y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void KeepsSymbolicBatchInInference()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, Dim.Symbolic("n"), 3, 4)
            .Node("Flatten", ["x"], ["y"])
            .Output("y")
            .Build();
        Assert.Equal("float32[n,12]", SessionOutputs(model)[0].Type!.ToString());
    }

    [Fact]
    public void AxisOutOfRangeIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Flatten").Input(Iota(2, 3)).Attr("axis", 3L).RunSingle());
        Assert.Contains("axis 3", ex.Message);
    }
}
