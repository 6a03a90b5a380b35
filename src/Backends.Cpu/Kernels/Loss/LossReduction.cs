using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Loss;

/// <summary>
/// The weighted negative log-likelihood shared by NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss:
/// loss[n, d] = -w[t] * logp[n, t, d] with t = target[n, d] (0 where t == ignore_index), reduced by none, sum, or
/// mean = sum(loss) / sum(w[t] over non-ignored elements).
/// </summary>
internal sealed class LossReduction
{
    private readonly string _reduction;
    private readonly long? _ignoreIndex;

    public LossReduction(KernelCreationContext context)
    {
        _reduction = context.Attributes.GetString("reduction", "mean");
        if (_reduction is not ("none" or "sum" or "mean"))
        {
            throw context.Error($"reduction must be none, sum or mean, got '{_reduction}'");
        }

        _ignoreIndex = context.Attributes.Contains("ignore_index") ? context.Attributes.GetInt("ignore_index") : null;
    }

    /// <summary>Computes the loss from log-probabilities <paramref name="logp"/> laid out as input ([N, C, d...]) and writes output 0.</summary>
    public void Compute(KernelContext context, Tensor input, double[] logp, Tensor target, Tensor? weight)
    {
        if (input.Rank < 2)
        {
            throw context.Error($"input must be [N, C, d1, ...], got shape {input.ShapeString}");
        }

        int n = input.Dims[0];
        int c = input.Dims[1];
        int inner = input.Length / Math.Max(n * c, 1);
        int[] targetDims = input.DimsArray().Where((_, i) => i != 1).ToArray();
        if (!target.Dims.SequenceEqual(targetDims) || !target.DataType.IsInteger())
        {
            throw context.Error($"target must be an integer tensor of shape {Shape.Format(targetDims)} for input {input.ShapeString}, got {target.DataType.Name()}{target.ShapeString}");
        }

        double[]? w = weight?.ToDoubleArray();
        if (w is not null && (weight!.Rank != 1 || w.Length != c))
        {
            throw context.Error($"weight must be 1-D with {c} elements, got shape {weight.ShapeString}");
        }

        long[] t = target.ToInt64Array();
        var loss = new double[t.Length];
        double weightSum = 0;
        for (int i = 0; i < t.Length; i++)
        {
            long cls = t[i];
            if (cls == _ignoreIndex)
            {
                continue;
            }

            if (cls < 0 || cls >= c)
            {
                throw context.Error($"target value {cls} at index {i} is out of range [0, {c})");
            }

            int b = i / inner;
            int d = i % inner;
            double wi = w?[cls] ?? 1;
            loss[i] = -logp[(((b * c) + (int)cls) * inner) + d] * wi;
            weightSum += wi;
        }

        if (_reduction == "none")
        {
            DoubleStore.Store(context.Output(0, input.DataType, targetDims), loss);
            return;
        }

        double total = loss.Sum();
        double value = _reduction == "sum" ? total : total / weightSum;
        DoubleStore.Store(context.Output(0, input.DataType, []), [value]);
    }
}
