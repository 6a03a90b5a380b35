using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Where")]
public sealed class WhereTests
{
    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 3 }, new[] { 2, 1 }, new int[0])]
    [InlineData(new[] { 4, 1, 1 }, new[] { 1, 5, 1 }, new[] { 6 })]
    [InlineData(new int[0], new[] { 2, 2 }, new[] { 2, 2 })]
    [InlineData(new[] { 1, 7 }, new[] { 3, 7 }, new[] { 3, 1 })]
    public void SelectsWithThreeWayBroadcast(int[] cDims, int[] xDims, int[] yDims)
    {
        var rng = new Random(cDims.Length + xDims.Length);
        var c = new Tensor<bool>(cDims);
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = rng.Next(2) == 0;
        }

        var x = Floats(xDims, 1);
        var y = Floats(yDims, 2);
        var dims = ShapeRules.Broadcast(ShapeRules.Broadcast(cDims, xDims), yDims);
        var expected = new Tensor<float>(dims);
        var idx = new int[dims.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            Unravel(i, dims, idx);
            expected[i] = c[Offset(cDims, idx)] ? x[Offset(xDims, idx)] : y[Offset(yDims, idx)];
        }

        TensorAssert.Close(expected, new OpTester("Where").Input(c).Input(x).Input(y).RunSingle(), rtol: 0, atol: 0);
    }

    [Fact]
    public void AnyElementType()
    {
        var c = Tensor.Create(new[] { true, false, true }, 3);
        var s = new OpTester("Where").Input(c).Input(new StringTensor(["a", "b", "c"], [3])).Input(new StringTensor(["x"], [1])).RunSingle();
        Assert.Equal(["a", "x", "c"], ((StringTensor)s).Data);

        var l = new OpTester("Where").Input(c).Input(Tensor.Create(new long[] { long.MaxValue, 2, 3 }, 3)).Input(Tensor.Create(new long[] { -1 }, 1)).RunSingle();
        Assert.Equal(new long[] { long.MaxValue, -1, 3 }, l.ToInt64Array());

        var b = new OpTester("Where").Input(c).Input(Tensor.Create(new[] { false }, 1)).Input(Tensor.Create(new[] { true }, 1)).RunSingle();
        Assert.Equal(new[] { false, true, false }, ((Tensor<bool>)b).ToArray());

        var h = new OpTester("Where").Input(c).Input(Tensor.Create(new[] { (Half)1.5 }, 1)).Input(Tensor.Create(new[] { (Half)(-2) }, 1)).RunSingle();
        Assert.Equal(new[] { 1.5, -2, 1.5 }, h.ToDoubleArray());

        var u8 = new OpTester("Where", opset: 9).Input(c).Input(Tensor.Create(new byte[] { 7 }, 1)).Input(Tensor.Create(new byte[] { 9, 8, 7 }, 3)).RunSingle();
        Assert.Equal(new long[] { 7, 8, 7 }, u8.ToInt64Array());
    }

    [Fact]
    public void NonBoolConditionIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Where").Input(Tensor.Create(new[] { 1f }, 1)).Input(Floats([2], 1)).Input(Floats([2], 2)).RunSingle());
        Assert.Contains("float32", ex.Message);
    }

    [Fact]
    public void IncompatibleShapesAreANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Where").Input(Tensor.Create(new[] { true, false }, 2)).Input(Floats([3], 1)).Input(Floats([3], 2)).RunSingle());
        Assert.Contains("[2]", ex.Message);
        Assert.Contains("[3]", ex.Message);
    }
}
