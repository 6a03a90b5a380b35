using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Quantization;

[OpTest("QLinearConv")]
public sealed class QLinearConvTests
{
    [Fact]
    public void Onnx() => QuantTestHelper.RunCase("QLinearConv", 10, OnnxQuantizationCases.Qlinearconv());

    [Fact]
    public void BiasAndPerChannelWeightScale()
    {
        // 1x1 conv, x = [1, 2] (1 channel, 1x2), two output channels with weights 1 and 2, scales 1 and 0.5,
        // bias [10, -2]; y_scale 1, y_zp 0: ch0 = 1*x + 10, ch1 = (2x - 2) * 0.5.
        var result = new OpTester("QLinearConv", 10)
            .Input(Tensor.Create(new byte[] { 1, 2 }, 1, 1, 1, 2)).Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((byte)0))
            .Input(Tensor.Create(new byte[] { 1, 2 }, 2, 1, 1, 1)).Input(Tensor.Create(new[] { 1f, 0.5f }, 2)).Input(Tensor.Create(new byte[] { 0, 0 }, 2))
            .Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((byte)0))
            .Input(Tensor.Create(new[] { 10, -2 }, 2))
            .RunSingle();
        Assert.Equal(new long[] { 11, 12, 0, 1 }, result.ToInt64Array());
    }

    [Fact]
    public void RoundingIsHalfToEven()
    {
        // acc = x * 1 with x = 1, 3, 5, 7; multiplier 0.5 -> 0.5, 1.5, 2.5, 3.5 -> 0, 2, 2, 4.
        var result = new OpTester("QLinearConv", 10)
            .Input(Tensor.Create(new byte[] { 1, 3, 5, 7 }, 1, 1, 2, 2)).Input(Tensor.Scalar(0.5f)).Input(Tensor.Scalar((byte)0))
            .Input(Tensor.Create(new byte[] { 1 }, 1, 1, 1, 1)).Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((byte)0))
            .Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((byte)0))
            .RunSingle();
        Assert.Equal(new long[] { 0, 2, 2, 4 }, result.ToInt64Array());
    }

    [Fact]
    public void PerChannelScaleOfWrongLengthIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("QLinearConv", 10)
            .Input(new Tensor<byte>([1, 1, 2, 2])).Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((byte)0))
            .Input(new Tensor<byte>([2, 1, 1, 1])).Input(Tensor.Create(new[] { 1f, 1f, 1f }, 3)).Input(Tensor.Scalar((byte)0))
            .Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((byte)0))
            .RunSingle());
        Assert.Contains("w_scale", ex.Message);
    }
}
