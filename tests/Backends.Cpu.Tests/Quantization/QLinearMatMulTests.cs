using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Quantization;

[OpTest("QLinearMatMul")]
public sealed class QLinearMatMulTests
{
    [Fact]
    public void Onnx2D() => QuantTestHelper.RunCase("QLinearMatMul", 10, OnnxQuantizationCases.Qlinearmatmul2d());

    [Fact]
    public void Onnx3D() => QuantTestHelper.RunCase("QLinearMatMul", 10, OnnxQuantizationCases.Qlinearmatmul3d());

    [Fact]
    public void Int8WithPerColumnScale()
    {
        // a = [[1, 2]], b = [[1, 1], [1, 1]] (zero points 0): acc = [3, 3]; scales b = [1, 2], y = 1 -> [3, 6].
        var result = new OpTester("QLinearMatMul", 10)
            .Input(Tensor.Create(new sbyte[] { 1, 2 }, 1, 2)).Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((sbyte)0))
            .Input(Tensor.Create(new sbyte[] { 1, 1, 1, 1 }, 2, 2)).Input(Tensor.Create(new[] { 1f, 2f }, 2)).Input(Tensor.Create(new sbyte[] { 0, 0 }, 2))
            .Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((sbyte)0))
            .RunSingle();
        Assert.Equal(DataType.Int8, result.DataType);
        Assert.Equal(new long[] { 3, 6 }, result.ToInt64Array());
    }

    [Fact]
    public void ScaleAndZeroPointShapeMismatchIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("QLinearMatMul", 10)
            .Input(new Tensor<byte>([2, 2])).Input(Tensor.Create(new[] { 1f, 1f }, 2)).Input(Tensor.Scalar((byte)0))
            .Input(new Tensor<byte>([2, 2])).Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((byte)0))
            .Input(Tensor.Scalar(1f)).Input(Tensor.Scalar((byte)0))
            .RunSingle());
        Assert.Contains("same shape", ex.Message);
    }
}
