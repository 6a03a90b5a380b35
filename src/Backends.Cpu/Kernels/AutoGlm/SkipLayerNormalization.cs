using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm SkipLayerNormalization: S = input + skip (+ bias), Y = (S - mean(S)) / sqrt(var(S) + epsilon) * gamma
/// (+ beta), statistics over the last axis. Inputs: input [..., hidden], skip (input's shape), gamma [hidden],
/// beta [hidden] (optional), bias [hidden] (optional). Outputs: Y, and optionally S. Attribute epsilon (default 1e-5).
/// Mean and variance accumulate in double.
/// </summary>
internal sealed class SkipLayerNormalization : IKernel
{
    private readonly float _epsilon;

    public SkipLayerNormalization(KernelCreationContext ctx)
    {
        _epsilon = ctx.Attributes.GetFloat("epsilon", 1e-5f);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var skip = ctx.Input(1);
        if (x.DataType != DataType.Float32 || skip.DataType != DataType.Float32)
        {
            throw ctx.Error($"SkipLayerNormalization computes float32 only, got input {x.DataType.Name()} and skip {skip.DataType.Name()}");
        }

        if (x.Rank == 0 || !x.Dims.SequenceEqual(skip.Dims))
        {
            throw ctx.Error($"skip must have the input's shape {x.ShapeString} (rank >= 1), got {skip.ShapeString}");
        }

        int hidden = x.Dims[^1];
        ReadOnlySpan<int> normDims = [hidden];
        var gamma = NormalizationParams.Expand(ctx, ctx.Input(2), normDims, hidden, "gamma");
        var beta = ctx.OptionalInput(3) is { } bt ? NormalizationParams.Expand(ctx, bt, normDims, hidden, "beta") : null;
        var bias = ctx.OptionalInput(4) is { } bb ? NormalizationParams.Expand(ctx, bb, normDims, hidden, "bias") : null;
        var y = ctx.Output(0, DataType.Float32, x.Dims);
        var sum = ctx.IsOutputRequested(1) ? ctx.Output(1, DataType.Float32, x.Dims).AsSpan<float>() : new float[x.Length];
        var ys = y.AsSpan<float>();
        System.Numerics.Tensors.TensorPrimitives.Add(x.AsSpan<float>(), skip.AsSpan<float>(), sum);
        for (int row = 0; hidden > 0 && row < sum.Length; row += hidden)
        {
            var s = sum.Slice(row, hidden);
            if (bias is not null)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(s, bias, s);
            }

            double mean = 0;
            foreach (float v in s)
            {
                mean += v;
            }

            mean /= hidden;
            double variance = 0;
            foreach (float v in s)
            {
                variance += (v - mean) * (v - mean);
            }

            variance /= hidden;
            float inv = (float)(1 / Math.Sqrt(variance + _epsilon));
            var dst = ys.Slice(row, hidden);
            System.Numerics.Tensors.TensorPrimitives.Subtract(s, (float)mean, dst);
            System.Numerics.Tensors.TensorPrimitives.Multiply(dst, inv, dst);
            if (beta is null)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(dst, gamma, dst);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(dst, gamma, beta, dst);
            }
        }
    }
}
