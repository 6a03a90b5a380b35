using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Backends.Cpu.Threading;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm SkipLayerNormalization: S = input + skip (+ bias), Y = (S - mean(S)) / sqrt(var(S) + epsilon) * gamma
/// (+ beta), statistics over the last axis. Inputs: input and skip (numpy-broadcast against each other; S has the
/// broadcast shape [..., hidden]), gamma [hidden],
/// beta [hidden] (optional), bias [hidden] (optional). Outputs: Y, and optionally S. Attribute epsilon (default 1e-5).
/// Rows run in parallel; each is <see cref="LayerNormFloat.Row"/> (two-pass mean and variance, vector lanes in float
/// summed in double).
/// </summary>
internal sealed unsafe class SkipLayerNormalization : IKernel
{
    /// <summary>Elements per parallel chunk (a few microseconds of work).</summary>
    private const int MinChunk = 16384;

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

        bool sameShape = x.Dims.SequenceEqual(skip.Dims);
        int[]? broadcastDims = null;
        try
        {
            broadcastDims = sameShape ? null : Core.ShapeRules.Broadcast(x.Dims, skip.Dims);
        }
        catch (ShapeInferenceException)
        {
            throw ctx.Error($"input {x.ShapeString} and skip {skip.ShapeString} cannot be broadcast");
        }

        ReadOnlySpan<int> dims = broadcastDims ?? x.Dims;

        if (dims.Length == 0)
        {
            throw ctx.Error("input and skip are scalars; the normalized axis needs rank >= 1");
        }

        int hidden = dims[^1];
        var gamma = Parameter(ctx, ctx.Input(2), hidden, "gamma");
        ReadOnlyMemory<float>? beta = ctx.OptionalInput(3) is { } bt ? Parameter(ctx, bt, hidden, "beta") : null;
        ReadOnlyMemory<float>? bias = ctx.OptionalInput(4) is { } bb ? Parameter(ctx, bb, hidden, "bias") : null;
        // Every row of Y (and of S) is written.
        var y = ctx.OutputUninitialized(0, DataType.Float32, dims);
        var ys = y.AsSpan<float>();

        // Without the S output, S is built in Y's row and normalized in place.
        var sum = ctx.IsOutputRequested(1) ? ctx.OutputUninitialized(1, DataType.Float32, dims).AsSpan<float>() : ys;
        if (broadcastDims is not null)
        {
            AddBroadcast(x, skip, broadcastDims, sum);
        }

        if (hidden == 0 || ys.IsEmpty)
        {
            return;
        }

        fixed (float* px = x.AsSpan<float>())
        fixed (float* pskip = skip.AsSpan<float>())
        fixed (float* psum = sum)
        fixed (float* py = ys)
        fixed (float* pg = gamma.Span)
        fixed (float* pb = beta is null ? default : beta.Value.Span)
        fixed (float* pbias = bias is null ? default : bias.Value.Span)
        {
            var rows = new Rows(sameShape ? px : null, pskip, psum, py, hidden, pg, pb, pbias, _epsilon);
            ParallelFor.Range(ys.Length / hidden, ctx.IntraOpThreads, Math.Max(1, MinChunk / hidden), rows);
        }
    }

    /// <summary>A [hidden] parameter as a span: the tensor's own data when it has hidden elements, else broadcast into an array.</summary>
    private static ReadOnlyMemory<float> Parameter(KernelContext ctx, Tensor t, int hidden, string name)
    {
        if (t is Tensor<float> f && f.Length == hidden && f.Rank >= 1)
        {
            return f.Memory;
        }

        return NormalizationParams.Expand(ctx, t, [hidden], hidden, name);
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

    /// <summary>Rows [start, end): S = x + skip (when same-shaped; else S is already there) + bias, then Y = LayerNorm(S).</summary>
    private readonly unsafe struct Rows(float* x, float* skip, float* sum, float* y, int hidden, float* gamma, float* beta, float* bias, float epsilon) : IRangeWork
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            var g = new ReadOnlySpan<float>(gamma, hidden);
            var b = beta == null ? default : new ReadOnlySpan<float>(beta, hidden);
            for (int r = start; r < end; r++)
            {
                long o = (long)r * hidden;
                var s = new Span<float>(sum + o, hidden);
                if (x != null)
                {
                    TensorPrimitives.Add(new ReadOnlySpan<float>(x + o, hidden), new ReadOnlySpan<float>(skip + o, hidden), s);
                }

                if (bias != null)
                {
                    TensorPrimitives.Add(s, new ReadOnlySpan<float>(bias, hidden), s);
                }

                LayerNormFloat.Row(s, new Span<float>(y + o, hidden), g, b, epsilon, out _, out _);
            }
        }
    }
}
