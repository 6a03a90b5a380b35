using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Clip")]
public sealed class ClipTests
{
    [Fact]
    public void BoundsAsInputsAtEveryLength()
    {
        foreach (int n in Lengths)
        {
            var x = Floats([n], n, -3, 3);
            var r = new OpTester("Clip").Input(x).Input(Tensor.Scalar(-1f)).Input(Tensor.Scalar(0.5f)).RunSingle();
            TensorAssert.Close(Map(x, v => Math.Clamp(v, -1f, 0.5f)), r, rtol: 0, atol: 0);
        }
    }

    [Fact]
    public void OmittedBoundsAreUnbounded()
    {
        var x = Tensor.Create(new[] { -5f, 0f, 5f, float.NegativeInfinity }, 4);
        TensorAssert.Close(x, new OpTester("Clip").Input(x).RunSingle());
        TensorAssert.Close([-5f, 0f, 1f, float.NegativeInfinity], [4], new OpTester("Clip").Input(x).Input(null).Input(Tensor.Scalar(1f)).RunSingle());
        TensorAssert.Close([-1f, 0f, 5f, -1f], [4], new OpTester("Clip").Input(x).Input(Tensor.Scalar(-1f)).RunSingle());
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(6L)]
    public void BoundsAsAttributesBeforeOpset11(long opset)
    {
        var x = Tensor.Create(new[] { -5f, 0f, 5f, 3.4e38f }, 4);
        TensorAssert.Close([-2f, 0f, 2f, 2f], [4], new OpTester("Clip", opset).Attr("min", -2f).Attr("max", 2f).Input(x).RunSingle());
        TensorAssert.Close([-5f, 0f, 5f, 3.4e38f], [4], new OpTester("Clip", opset).Input(x).RunSingle());
    }

    [Fact]
    public void MaxWinsWhenBoundsCross()
    {
        var x = Tensor.Create(new[] { -5f, 0f, 5f }, 3);
        TensorAssert.Close([1f, 1f, 1f], [3], new OpTester("Clip").Input(x).Input(Tensor.Scalar(2f)).Input(Tensor.Scalar(1f)).RunSingle());
    }

    [Fact]
    public void NaNStaysNaN()
    {
        var x = Tensor.Create(Enumerable.Repeat(float.NaN, 9).ToArray(), 9);
        Assert.All(new OpTester("Clip").Input(x).Input(Tensor.Scalar(0f)).Input(Tensor.Scalar(1f)).RunSingle().ToDoubleArray(), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void EveryNumericType()
    {
        var i8 = new OpTester("Clip").Input(Tensor.Create(new sbyte[] { -128, 0, 127 }, 3)).Input(Tensor.Scalar((sbyte)-5)).Input(Tensor.Scalar((sbyte)5)).RunSingle();
        Assert.Equal(new long[] { -5, 0, 5 }, i8.ToInt64Array());
        var u64 = new OpTester("Clip").Input(Tensor.Create(new ulong[] { 0, 10, ulong.MaxValue }, 3)).Input(Tensor.Scalar(3UL)).RunSingle();
        Assert.Equal(new ulong[] { 3, 10, ulong.MaxValue }, ((Tensor<ulong>)u64).ToArray());
        var i64 = new OpTester("Clip").Input(Tensor.Create(new long[] { long.MinValue, 7 }, 2)).Input(null).Input(Tensor.Scalar(0L)).RunSingle();
        Assert.Equal(new long[] { long.MinValue, 0 }, i64.ToInt64Array());
        var f64 = new OpTester("Clip").Input(Tensor.Create(new[] { 0.1234567890123, 9.0 }, 2)).Input(Tensor.Scalar(0.1234567890124)).Input(Tensor.Scalar(1.0)).RunSingle();
        Assert.Equal(new[] { 0.1234567890124, 1.0 }, f64.ToDoubleArray());
        var h = new OpTester("Clip").Input(Tensor.Create(new[] { (Half)(-3), (Half)3 }, 2)).Input(Tensor.Scalar((Half)(-1))).Input(Tensor.Scalar((Half)2)).RunSingle();
        Assert.Equal(new[] { -1.0, 2.0 }, h.ToDoubleArray());
    }

    [Fact]
    public void NonScalarBoundIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Clip").Input(Floats([4], 1)).Input(Tensor.Create(new[] { 0f, 1f }, 2)).RunSingle());
        Assert.Contains("min", ex.Message);
        Assert.Contains("[2]", ex.Message);
    }

    [Fact]
    public void BoundOfAnotherDtypeIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Clip").Input(Floats([4], 1)).Input(null).Input(Tensor.Scalar(1.0)).RunSingle());
        Assert.Contains("max", ex.Message);
        Assert.Contains("float64", ex.Message);
    }
}
