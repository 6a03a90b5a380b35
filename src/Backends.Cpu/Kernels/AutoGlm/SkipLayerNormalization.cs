using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm SkipLayerNormalization: S = input + skip (+ bias), Y = (S - mean(S)) / sqrt(var(S) + epsilon) * gamma
/// (+ beta), statistics over the last axis. Inputs: input and skip (numpy-broadcast against each other; S has the
/// broadcast shape [..., hidden]), gamma [hidden],
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

        int[] dims;
        try
        {
            dims = Core.ShapeRules.Broadcast(x.Dims, skip.Dims);
        }
        catch (ShapeInferenceException)
        {
            throw ctx.Error($"input {x.ShapeString} and skip {skip.ShapeString} cannot be broadcast");
        }

        if (dims.Length == 0)
        {
            throw ctx.Error("input and skip are scalars; the normalized axis needs rank >= 1");
        }

        int hidden = dims[^1];
        ReadOnlySpan<int> normDims = [hidden];
        var gamma = NormalizationParams.Expand(ctx, ctx.Input(2), normDims, hidden, "gamma");
        var beta = ctx.OptionalInput(3) is { } bt ? NormalizationParams.Expand(ctx, bt, normDims, hidden, "beta") : null;
        var bias = ctx.OptionalInput(4) is { } bb ? NormalizationParams.Expand(ctx, bb, normDims, hidden, "bias") : null;
        var y = ctx.Output(0, DataType.Float32, dims);
        var sum = ctx.IsOutputRequested(1) ? ctx.Output(1, DataType.Float32, dims).AsSpan<float>() : new float[y.Length];
        var ys = y.AsSpan<float>();
        if (x.Dims.SequenceEqual(skip.Dims))
        {
            System.Numerics.Tensors.TensorPrimitives.Add(x.AsSpan<float>(), skip.AsSpan<float>(), sum);
        }
        else
        {
            AddBroadcast(x, skip, dims, sum);
        }

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

    /// <summary>sum = x + skip with numpy broadcasting to <paramref name="dims"/>.</summary>
    private static void AddBroadcast(Tensor x, Tensor skip, int[] dims, Span<float> sum)
    {
        var xs = x.AsSpan<float>();
        var ss = skip.AsSpan<float>();
        var xStrides = new long[dims.Length];
        var sStrides = new long[dims.Length];
        Simd.BroadcastDriver.Strides(x.Dims, dims, xStrides);
        Simd.BroadcastDriver.Strides(skip.Dims, dims, sStrides);
        var idx = new int[dims.Length];
        for (int i = 0; i < sum.Length; i++)
        {
            long xo = 0, so = 0;
            for (int d = 0; d < dims.Length; d++)
            {
                xo += idx[d] * xStrides[d];
                so += idx[d] * sStrides[d];
            }

            sum[i] = xs[(int)xo] + ss[(int)so];
            for (int d = dims.Length - 1; d >= 0 && ++idx[d] == dims[d]; d--)
            {
                idx[d] = 0;
            }
        }
    }
}
