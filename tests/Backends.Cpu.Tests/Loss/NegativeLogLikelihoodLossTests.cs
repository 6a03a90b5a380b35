using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Loss;

[OpTest("NegativeLogLikelihoodLoss")]
public sealed class NegativeLogLikelihoodLossTests
{
    // input [N=2, C=3]: rows of log-probabilities; targets [2, 0].
    private static readonly Tensor<float> s_input = Tensor.Create(new[] { -1f, -2f, -3f, -4f, -5f, -6f }, 2, 3);
    private static readonly Tensor<long> s_target = Tensor.Create(new[] { 2L, 0L }, 2);

    [Theory]
    [InlineData("none", new[] { 3f, 4f })]
    [InlineData("sum", new[] { 7f })]
    [InlineData("mean", new[] { 3.5f })]
    public void Reductions(string reduction, float[] expected)
    {
        var result = new OpTester("NegativeLogLikelihoodLoss", 13).Input(s_input).Input(s_target).Attr("reduction", reduction).RunSingle();
        TensorAssert.Close(expected, reduction == "none" ? [2] : [], result);
    }

    [Fact]
    public void WeightedMeanDividesByTheWeightsUsed()
    {
        // loss = [3 * w2, 4 * w0] = [3 * 0.5, 4 * 2] = [1.5, 8]; mean = 9.5 / (0.5 + 2).
        var result = new OpTester("NegativeLogLikelihoodLoss", 13).Input(s_input).Input(s_target).Input(Tensor.Create(new[] { 2f, 1f, 0.5f }, 3)).RunSingle();
        TensorAssert.Close(new[] { 9.5f / 2.5f }, [], result);
    }

    [Fact]
    public void IgnoreIndexAndSpatialDims()
    {
        // input [1, 2, 2]: class planes [-1, -2] and [-3, -4]; target [[1, -1]] with ignore_index -1.
        var input = Tensor.Create(new[] { -1f, -2f, -3f, -4f }, 1, 2, 2);
        var target = Tensor.Create(new[] { 1L, -1L }, 1, 2);
        var none = new OpTester("NegativeLogLikelihoodLoss", 13).Input(input).Input(target).Attr("reduction", "none").Attr("ignore_index", -1L).RunSingle();
        TensorAssert.Close(new[] { 3f, 0f }, [1, 2], none);
        var mean = new OpTester("NegativeLogLikelihoodLoss", 13).Input(input).Input(target).Attr("ignore_index", -1L).RunSingle();
        TensorAssert.Close(new[] { 3f }, [], mean);
    }

    [Fact]
    public void TargetOutOfRangeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("NegativeLogLikelihoodLoss", 13).Input(s_input).Input(Tensor.Create(new[] { 3L, 0L }, 2)).RunSingle());
        Assert.Contains("target value 3", ex.Message);
    }
}
