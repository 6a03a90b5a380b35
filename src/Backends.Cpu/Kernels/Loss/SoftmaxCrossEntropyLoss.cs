using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Loss;

/// <summary>
/// SoftmaxCrossEntropyLoss: log_prob = log_softmax(scores, axis 1); loss = NegativeLogLikelihoodLoss(log_prob, labels,
/// weights) with the same reduction and ignore_index (https://onnx.ai/onnx/operators/onnx__SoftmaxCrossEntropyLoss.html).
/// </summary>
internal sealed class SoftmaxCrossEntropyLoss : IKernel
{
    private readonly LossReduction _loss;

    public SoftmaxCrossEntropyLoss(KernelCreationContext context)
    {
        _loss = new LossReduction(context);
    }

    public void Compute(KernelContext context)
    {
        var scores = context.Input(0);
        if (!scores.DataType.IsFloatingPoint())
        {
            throw context.Error($"scores must be floating point, got {scores.DataType.Name()}");
        }

        if (scores.Rank < 2)
        {
            throw context.Error($"scores must be [N, C, d1, ...], got shape {scores.ShapeString}");
        }

        double[] logp = LogSoftmaxAxis1(scores);
        _loss.Compute(context, scores, logp, context.Input(1), context.OptionalInput(2));
        if (context.IsOutputRequested(1))
        {
            DoubleStore.Store(context.Output(1, scores.DataType, scores.Dims), logp);
        }
    }

    // log_softmax over axis 1 of [N, C, inner]: x - max - log(sum(exp(x - max))).
    private static double[] LogSoftmaxAxis1(Tensor scores)
    {
        double[] x = scores.ToDoubleArray();
        int n = scores.Dims[0];
        int c = scores.Dims[1];
        int inner = x.Length / Math.Max(n * c, 1);
        var y = new double[x.Length];
        for (int b = 0; b < n; b++)
        {
            for (int d = 0; d < inner; d++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < c; k++)
                {
                    max = Math.Max(max, x[(((b * c) + k) * inner) + d]);
                }

                double sum = 0;
                for (int k = 0; k < c; k++)
                {
                    sum += Math.Exp(x[(((b * c) + k) * inner) + d] - max);
                }

                double logSum = Math.Log(sum);
                for (int k = 0; k < c; k++)
                {
                    int i = (((b * c) + k) * inner) + d;
                    y[i] = x[i] - max - logSum;
                }
            }
        }

        return y;
    }
}
