using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Loss;

/// <summary>
/// NegativeLogLikelihoodLoss: loss[n, d] = -input[n, target[n, d], d] * weight[target[n, d]], reduced by none, sum or
/// weighted mean; ignore_index targets contribute nothing (https://onnx.ai/onnx/operators/onnx__NegativeLogLikelihoodLoss.html).
/// </summary>
internal sealed class NegativeLogLikelihoodLoss : IKernel
{
    private readonly LossReduction _loss;

    public NegativeLogLikelihoodLoss(KernelCreationContext context)
    {
        _loss = new LossReduction(context);
    }

    public void Compute(KernelContext context)
    {
        var input = context.Input(0);
        if (!input.DataType.IsFloatingPoint())
        {
            throw context.Error($"input must be floating point, got {input.DataType.Name()}");
        }

        _loss.Compute(context, input, input.ToDoubleArray(), context.Input(1), context.OptionalInput(2));
    }
}
