using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Pow")]
public sealed class PowTests
{
    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 2, 1, 5 }, new int[0])]
    public void FloatsBroadcast(int[] xDims, int[] yDims)
    {
        var x = Floats(xDims, 1, 0.1, 3);
        var y = Floats(yDims, 2, -2, 2);
        TensorAssert.Close(Broadcast(x, y, (a, b) => (float)Math.Pow(a, b)), new OpTester("Pow").Input(x).Input(y).RunSingle(), rtol: 1e-6, atol: 1e-7);
    }

    [Fact]
    public void NegativeBaseWithIntegralExponentIsReal()
    {
        var r = new OpTester("Pow").Input(Tensor.Create(new[] { -2f, -2f, -8f }, 3)).Input(Tensor.Create(new[] { 3f, 2f, 1f / 3 }, 3)).RunSingle().ToDoubleArray();
        Assert.Equal(-8, r[0]);
        Assert.Equal(4, r[1]);
        Assert.True(double.IsNaN(r[2]));
    }

    [Fact]
    public void IntegerPowersAreExact()
    {
        var x = Tensor.Create(new long[] { 3, -2, 2, 1, -1, 5 }, 6);
        var y = Tensor.Create(new long[] { 39, 63, -1, -4, -3, 0 }, 6);
        long[] expected = [4052555153018976267, long.MinValue, 0, 1, -1, 1];
        Assert.Equal(expected, new OpTester("Pow").Input(x).Input(y).RunSingle().ToInt64Array());
    }

    // Opset 12 allows a second dtype for the exponent; the result keeps the base's dtype.
    [Fact]
    public void MixedDtypesKeepTheBaseType()
    {
        var intBase = Tensor.Create(new[] { 1, 2, 3 }, 3);
        var floatExp = Tensor.Create(new[] { 4f, 5f, 0.5f }, 3);
        var r = new OpTester("Pow").Input(intBase).Input(floatExp).RunSingle();
        Assert.Equal(DataType.Int32, r.DataType);
        Assert.Equal(new long[] { 1, 32, 1 }, r.ToInt64Array());

        var floatBase = Tensor.Create(new[] { 1.5f, 2f, 4f }, 3);
        var intExp = Tensor.Create(new long[] { 2, -1, 3 }, 3);
        TensorAssert.Close([2.25f, 0.5f, 64f], [3], new OpTester("Pow").Input(floatBase).Input(intExp).RunSingle());

        var doubleBase = Tensor.Create(new[] { 2.0, 9.0 }, 2);
        var uintExp = Tensor.Create(new uint[] { 10 }, 1);
        TensorAssert.Close(Tensor.Create(new[] { 1024.0, 3486784401.0 }, 2), new OpTester("Pow").Input(doubleBase).Input(uintExp).RunSingle());
    }

    [Fact]
    public void Float16ComputesInHigherPrecision()
    {
        var x = Tensor.Create(new[] { (Half)2, (Half)0.5 }, 2);
        var y = Tensor.Create(new[] { (Half)3, (Half)2 }, 2);
        TensorAssert.Close(Tensor.Create(new[] { (Half)8, (Half)0.25 }, 2), new OpTester("Pow").Input(x).Input(y).RunSingle());
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(7L)]
    public void EarlierOpsetsWithOneDtype(long opset)
    {
        var tester = new OpTester("Pow", opset).Input(Tensor.Create(new[] { 2f, 3f }, 2)).Input(Tensor.Create(new[] { 2f, 2f }, 2));
        TensorAssert.Close([4f, 9f], [2], tester.RunSingle());
    }

    [Fact]
    public void BoolInputIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Pow").Input(Tensor.Create(new[] { 2f }, 1)).Input(Tensor.Create(new[] { true }, 1)).RunSingle());
        Assert.Contains("bool", ex.Message);
    }
}
