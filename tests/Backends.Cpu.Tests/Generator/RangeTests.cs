using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Generator;

[OpTest("Range")]
public sealed class RangeTests
{
    [Fact]
    public void FloatPositiveDelta()
    {
        var result = Run(Tensor.Scalar(1f), Tensor.Scalar(5f), Tensor.Scalar(2f));
        TensorAssert.Close(new[] { 1f, 3f }, [2], result);
    }

    [Fact]
    public void Int32NegativeDelta()
    {
        var result = Run(Tensor.Scalar(10), Tensor.Scalar(6), Tensor.Scalar(-3));
        Assert.Equal(DataType.Int32, result.DataType);
        Assert.Equal(new long[] { 10, 7 }, result.ToInt64Array());
    }

    [Theory]
    [InlineData(0L, 10L, 3L)]
    [InlineData(-5L, 5L, 1L)]
    [InlineData(5L, -5L, -4L)]
    [InlineData(3L, 3L, 1L)]
    [InlineData(3L, 0L, 1L)]
    [InlineData(long.MaxValue - 10, long.MaxValue, 5L)]
    public void Int64MatchesLoop(long start, long limit, long delta)
    {
        var expected = new List<long>();
        for (long v = start; delta > 0 ? v < limit : v > limit; v += delta)
        {
            expected.Add(v);
            if (delta > 0 && v > long.MaxValue - delta)
            {
                break;
            }
        }

        var result = Run(Tensor.Scalar(start), Tensor.Scalar(limit), Tensor.Scalar(delta));
        Assert.Equal(expected.ToArray(), result.ToInt64Array());
    }

    [Fact]
    public void DoubleAndInt16()
    {
        TensorAssert.Close(Tensor.Create(new[] { 0.5, 0.75, 1.0, 1.25 }, 4), Run(Tensor.Scalar(0.5), Tensor.Scalar(1.3), Tensor.Scalar(0.25)));
        var shorts = Run(Tensor.Scalar((short)-2), Tensor.Scalar((short)2), Tensor.Scalar((short)1));
        Assert.Equal(DataType.Int16, shorts.DataType);
        Assert.Equal(new long[] { -2, -1, 0, 1 }, shorts.ToInt64Array());
    }

    [Fact]
    public void ConstantInputsGiveAStaticShape()
    {
        var result = new OpTester("Range", 11).ConstantInput(Tensor.Scalar(0L)).ConstantInput(Tensor.Scalar(5L)).ConstantInput(Tensor.Scalar(2L)).RunSingle();
        Assert.Equal(new long[] { 0, 2, 4 }, result.ToInt64Array());
    }

    [Fact]
    public void ZeroDeltaIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(Tensor.Scalar(0f), Tensor.Scalar(1f), Tensor.Scalar(0f)));
        Assert.Contains("delta", ex.Message);
    }

    [Fact]
    public void NonScalarInputIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(Tensor.Create(new[] { 0f, 1f }, 2), Tensor.Scalar(1f), Tensor.Scalar(1f)));
        Assert.Contains("scalar", ex.Message);
    }

    private static Tensor Run(Tensor start, Tensor limit, Tensor delta) =>
        new OpTester("Range", 11).Input(start).Input(limit).Input(delta).RunSingle();
}
