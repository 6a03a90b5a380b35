using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Misc;

[OpTest("Adagrad", "ai.onnx.preview.training")]
[OpTest("Momentum", "ai.onnx.preview.training")]
[OpTest("Adam", "ai.onnx.preview.training")]
public sealed class OptimizerTests
{
    private const string Domain = "ai.onnx.preview.training";

    [Fact]
    public void AdagradStep()
    {
        // r = 0.1 / (1 + 2 * 0.5) = 0.05; g = 0.5 * 2 + 1 = 2; H = 1 + 4 = 5; X = 2 - 0.05 * 2 / sqrt(5).
        var r = new OpTester("Adagrad", 1, Domain)
            .Input(Tensor.Scalar(0.1f)).Input(Tensor.Scalar(2L))
            .Input(Tensor.Create(new[] { 2f }, 1)).Input(Tensor.Create(new[] { 1f }, 1)).Input(Tensor.Create(new[] { 1f }, 1))
            .Attr("decay_factor", 0.5f).Attr("epsilon", 0f).Attr("norm_coefficient", 0.5f).Outputs(2).Run();
        TensorAssert.Close(new[] { 2f - (0.1f / MathF.Sqrt(5)) }, [1], r[0]);
        TensorAssert.Close(new[] { 5f }, [1], r[1]);
    }

    [Theory]
    [InlineData("standard", 0L, 1.13238f, 0.6762f)]
    [InlineData("standard", 3L, 1.047888f, 1.52112f)]
    [InlineData("nesterov", 0L, 1.229641f, 0.6762f)]
    public void MomentumStep(string mode, long step, float expectedX, float expectedV)
    {
        // X 1.2, G -0.94, V 1.7, R 0.1, alpha 0.95, beta 0.1, norm 0.001: g = -0.9388;
        // V_new = 1.615 + (T > 0 ? 0.1 : 1) * g; standard X - R V_new; nesterov X - R (g + 0.95 V_new).
        var r = new OpTester("Momentum", 1, Domain)
            .Input(Tensor.Scalar(0.1f)).Input(Tensor.Scalar(step))
            .Input(Tensor.Create(new[] { 1.2f }, 1)).Input(Tensor.Create(new[] { -0.94f }, 1)).Input(Tensor.Create(new[] { 1.7f }, 1))
            .Attr("alpha", 0.95f).Attr("beta", 0.1f).Attr("mode", mode).Attr("norm_coefficient", 0.001f).Outputs(2).Run();
        TensorAssert.Close(new[] { expectedX }, [1], r[0], 1e-5);
        TensorAssert.Close(new[] { expectedV }, [1], r[1], 1e-5);
    }

    [Fact]
    public void AdamBiasCorrectedStepOnTwoTensors()
    {
        var r = new OpTester("Adam", 1, Domain)
            .Input(Tensor.Scalar(0.1)).Input(Tensor.Scalar(1L))
            .Input(Tensor.Create(new[] { 1.0 }, 1)).Input(Tensor.Create(new[] { 1.0, 2.0 }, 2))
            .Input(Tensor.Create(new[] { -1.0 }, 1)).Input(Tensor.Create(new[] { 0.5, 0.0 }, 2))
            .Input(Tensor.Create(new[] { 0.0 }, 1)).Input(Tensor.Create(new[] { 0.0, 0.0 }, 2))
            .Input(Tensor.Create(new[] { 0.0 }, 1)).Input(Tensor.Create(new[] { 0.0, 0.0 }, 2))
            .Attr("alpha", 0.9f).Attr("beta", 0.99f).Attr("epsilon", 1e-12f).Outputs(6).Run();

        // First step from zero state: V = (1 - alpha) g, H = (1 - beta) g^2, r = R sqrt(1 - beta) / (1 - alpha);
        // a zero gradient leaves X unchanged (epsilon keeps 0 / 0 away).
        double alpha = 0.9f, beta = 0.99f;
        double rate = 0.1 * Math.Sqrt(1 - beta) / (1 - alpha);
        double Step(double g) => g == 0 ? 0 : rate * ((1 - alpha) * g) / Math.Sqrt((1 - beta) * g * g);
        TensorAssert.Close(Tensor.Create(new[] { 1.0 - Step(-1) }, 1), r[0], 1e-9, 1e-12);
        TensorAssert.Close(Tensor.Create(new[] { 1.0 - Step(0.5), 2.0 }, 2), r[1], 1e-9, 1e-12);
        TensorAssert.Close(Tensor.Create(new[] { (1 - alpha) * 0.5, 0.0 }, 2), r[3], 1e-9, 1e-12);
        TensorAssert.Close(Tensor.Create(new[] { (1 - beta) * 1.0 }, 1), r[4], 1e-9, 1e-12);
    }

    [Fact]
    public void MismatchedStateShapeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Adagrad", 1, Domain)
            .Input(Tensor.Scalar(0.1f)).Input(Tensor.Scalar(0L))
            .Input(Tensor.Create(new[] { 1f, 2f }, 2)).Input(Tensor.Create(new[] { 1f, 2f }, 2)).Input(Tensor.Create(new[] { 1f }, 1))
            .Outputs(2).Run());
        Assert.Contains("shaped like X", ex.Message);
    }
}
