using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Loss;

[OpTest("SoftmaxCrossEntropyLoss")]
public sealed class SoftmaxCrossEntropyLossTests
{
    [Fact]
    public void MatchesLogSoftmaxOracle()
    {
        var rng = new Random(5);
        var scores = Tensor.Create(Enumerable.Range(0, 3 * 4 * 2).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray(), 3, 4, 2);
        var labels = Tensor.Create(new long[] { 0, 3, 1, 1, 2, 0 }, 3, 2);
        var r = new OpTester("SoftmaxCrossEntropyLoss", 13).Input(scores).Input(labels).Attr("reduction", "none").Outputs(2).Run();

        var logp = new float[scores.Length];
        var loss = new float[6];
        for (int n = 0; n < 3; n++)
        {
            for (int d = 0; d < 2; d++)
            {
                double sum = 0;
                for (int c = 0; c < 4; c++)
                {
                    sum += Math.Exp(scores[(((n * 4) + c) * 2) + d]);
                }

                for (int c = 0; c < 4; c++)
                {
                    int i = (((n * 4) + c) * 2) + d;
                    logp[i] = (float)(scores[i] - Math.Log(sum));
                }

                loss[(n * 2) + d] = -logp[(((n * 4) + (int)labels[(n * 2) + d]) * 2) + d];
            }
        }

        TensorAssert.Close(loss, [3, 2], r[0]);
        TensorAssert.Close(logp, [3, 4, 2], r[1]);
    }

    [Fact]
    public void DefaultMeanWithWeightsAndIgnoreIndex()
    {
        // Uniform scores: every -log p = log 2. Labels [0, 1, 1] with ignore_index 1 -> only sample 0 counts.
        var scores = new Tensor<float>([3, 2]);
        var result = new OpTester("SoftmaxCrossEntropyLoss", 13).Input(scores).Input(Tensor.Create(new long[] { 0, 1, 1 }, 3))
            .Input(Tensor.Create(new[] { 3f, 1f }, 2)).Attr("ignore_index", 1L).RunSingle();
        TensorAssert.Close(new[] { MathF.Log(2) }, [], result);
    }

    [Fact]
    public void BadReductionIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("SoftmaxCrossEntropyLoss", 13).Input(new Tensor<float>([1, 2])).Input(new Tensor<long>([1])).Attr("reduction", "avg").RunSingle());
        Assert.Contains("'avg'", ex.Message);
    }
}
