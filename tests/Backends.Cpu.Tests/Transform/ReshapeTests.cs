using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Reshape")]
public sealed class ReshapeTests
{
    [Theory]
    [InlineData(new long[] { 4, 6 }, new[] { 4, 6 })]
    [InlineData(new long[] { 0, -1 }, new[] { 2, 12 })]
    [InlineData(new long[] { -1 }, new[] { 24 })]
    [InlineData(new long[] { 2, 0, 2, -1 }, new[] { 2, 3, 2, 2 })]
    [InlineData(new long[] { 1, 1, 24, 1 }, new[] { 1, 1, 24, 1 })]
    public void ResolvesZeroAndMinusOne(long[] shape, int[] expected)
    {
        var x = Iota(2, 3, 4);
        var y = new OpTester("Reshape").Input(x).Input(Longs(shape)).RunSingle();
        Assert.Equal(expected, y.DimsArray());
        Assert.Equal(x.ToArray(), y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void AllowZeroKeepsZeroAsASize()
    {
        var x = new Tensor<float>([0, 3]);
        var y = new OpTester("Reshape", 14).Input(x).Input(Longs(3, 0)).Attr("allowzero", 1L).RunSingle();
        Assert.Equal([3, 0], y.DimsArray());
    }

    [Fact]
    public void ShapeIsAnAttributeBeforeOpset5()
    {
        var y = new OpTester("Reshape", 1).Input(Iota(2, 3)).Attr("shape", new long[] { 3, -1 }).RunSingle();
        Assert.Equal([3, 2], y.DimsArray());
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesEveryElementType(DataType type)
    {
        var x = Random(type, [2, 3, 2], 7);
        var y = new OpTester("Reshape").Input(x).Input(Longs(3, 4)).RunSingle();
        Equal(Take(x, [3, 4], c => (c[0] * 4) + c[1]), y);
    }

    [Fact]
    public void IncompatibleCountNamesBothShapes()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Reshape").Input(Iota(2, 3)).Input(Longs(4, 2)).RunSingle());
        Assert.Contains("Reshape", ex.Message);
        Assert.Contains("[2,3]", ex.Message);
        Assert.Contains("[4,2]", ex.Message);
    }

    [Fact]
    public void FloatShapeIsANamedErrorNotACrash()
    {
        var tester = new OpTester("Reshape").Input(Iota(2, 3)).ConstantInput(Tensor.Create(new float[] { 6 }, 1));
        var inferenceError = Assert.Throws<ShapeInferenceException>(() => Infer(tester));
        Assert.Contains("integer tensor", inferenceError.Message);
        var ex = Assert.ThrowsAny<AutoGlmException>(() => tester.RunSingle());
        Assert.Contains("Reshape_under_test", ex.Message);
    }

    [Fact]
    public void TwoMinusOnesAreRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Reshape").Input(Iota(2, 3)).Input(Longs(-1, -1)).RunSingle());
        Assert.Contains("more than one -1", ex.Message);
    }

    [Fact]
    public void InfersSymbolicDimsThroughZeroAndMinusOne()
    {
        // [batch, seq, 12, 64] -> [0, 0, -1]: the -1 is 768 even though batch and seq are unknown.
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, Dim.Symbolic("batch"), Dim.Symbolic("seq"), 12, 64)
            .Initializer("shape", Longs(0, 0, -1))
            .Node("Reshape", ["x", "shape"], ["y"])
            .Output("y")
            .Build();
        var y = SessionOutputs(model)[0];
        Assert.Equal("float32[batch,seq,768]", y.Type!.ToString());
    }
}
