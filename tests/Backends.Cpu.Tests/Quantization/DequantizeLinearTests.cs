using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Quantization;

[OpTest("DequantizeLinear")]
public sealed class DequantizeLinearTests
{
    [Fact]
    public void OnnxPerTensor() => QuantTestHelper.RunCase("DequantizeLinear", 13, OnnxQuantizationCases.Dequantizelinear());

    [Fact]
    public void OnnxPerAxis() => QuantTestHelper.RunCase("DequantizeLinear", 13, OnnxQuantizationCases.DequantizelinearAxis());

    [Fact]
    public void Int8AndInt32WithoutZeroPoint()
    {
        var int8 = new OpTester("DequantizeLinear", 13).Input(Tensor.Create(new sbyte[] { -128, 0, 127 }, 3)).Input(Tensor.Scalar(0.5f)).Input(Tensor.Scalar((sbyte)-1)).RunSingle();
        TensorAssert.Close(new[] { -63.5f, 0.5f, 64f }, [3], int8);
        var int32 = new OpTester("DequantizeLinear", 13).Input(Tensor.Create(new[] { -1000, 7 }, 2)).Input(Tensor.Scalar(0.25f)).RunSingle();
        TensorAssert.Close(new[] { -250f, 1.75f }, [2], int32);
    }

    [Fact]
    public void ZeroPointOfAnotherTypeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("DequantizeLinear", 13)
            .Input(Tensor.Create(new byte[] { 1 }, 1)).Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((sbyte)0)).RunSingle());
        Assert.Contains("x_zero_point", ex.Message);
    }
}
