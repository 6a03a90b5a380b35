using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Quantization;

[OpTest("QuantizeLinear")]
public sealed class QuantizeLinearTests
{
    [Fact]
    public void OnnxPerTensor() => QuantTestHelper.RunCase("QuantizeLinear", 13, OnnxQuantizationCases.Quantizelinear());

    [Fact]
    public void OnnxPerAxis() => QuantTestHelper.RunCase("QuantizeLinear", 13, OnnxQuantizationCases.QuantizelinearAxis());

    [Fact]
    public void RoundsHalfToEvenAndSaturatesInt8()
    {
        // x / 1 = 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> 0, -1.5 -> -2; then + zp (-1) and clamp to [-128, 127].
        var x = Tensor.Create(new[] { 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 500f, -500f }, 7);
        var result = new OpTester("QuantizeLinear", 13).Input(x).Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((sbyte)-1)).RunSingle();
        Assert.Equal(DataType.Int8, result.DataType);
        Assert.Equal(new long[] { -1, 1, 1, -1, -3, 127, -128 }, result.ToInt64Array());
    }

    [Fact]
    public void OmittedZeroPointMeansUInt8Zero()
    {
        var result = new OpTester("QuantizeLinear", 13).Input(Tensor.Create(new[] { -3f, 3f, 1000f }, 3)).Input(Tensor.Scalar(2f)).RunSingle();
        Assert.Equal(DataType.UInt8, result.DataType);
        Assert.Equal(new long[] { 0, 2, 255 }, result.ToInt64Array());
    }

    [Fact]
    public void PerAxisOnLastAxis()
    {
        var x = Tensor.Create(new[] { 1f, 10f, 2f, 20f }, 2, 2);
        var result = new OpTester("QuantizeLinear", 13).Input(x).Input(Tensor.Create(new[] { 1f, 10f }, 2))
            .Input(Tensor.Create(new byte[] { 0, 100 }, 2)).Attr("axis", -1L).RunSingle();
        Assert.Equal(new long[] { 1, 101, 2, 102 }, result.ToInt64Array());
    }

    [Fact]
    public void PerAxisLengthMismatchIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("QuantizeLinear", 13)
            .Input(new Tensor<float>([2, 3])).Input(Tensor.Create(new[] { 1f, 2f }, 2)).Input(Tensor.Create(new byte[] { 0, 0 }, 2)).RunSingle());
        Assert.Contains("dimension 1", ex.Message);
    }
}
