using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// LayerNormalization: over the dims [axis, rank), Y = (X - Mean) * InvStdDev * Scale + B with InvStdDev =
/// 1 / sqrt(Var + epsilon); Scale and B broadcast to the normalized shape; optional Mean and InvStdDev outputs of
/// shape [d0, ..., d(axis-1), 1, ..., 1] in stash_type (https://onnx.ai/onnx/operators/onnx__LayerNormalization.html).
/// Statistics accumulate in double; float16/bfloat16 compute in float.
/// </summary>
internal sealed class LayerNormalization : IKernel
{
    private readonly long _axis;
    private readonly float _epsilon;
    private readonly DataType _stashType;
    private readonly Tensor? _constantScale;
    private readonly Tensor? _constantBias;

    // Scale and B of constant inputs, expanded to the normalized shape and cast to float once (immutable once set).
    private volatile FloatParameters? _cached;

    public LayerNormalization(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.GetInt("axis", -1);
        _epsilon = ctx.Attributes.GetFloat("epsilon", 1e-5f);
        _stashType = (DataType)ctx.Attributes.GetInt("stash_type", 1);
        _constantScale = ctx.ConstantInput(1);
        _constantBias = ctx.ConstantInput(2);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var scaleTensor = ctx.Input(1);
        var biasTensor = ctx.OptionalInput(2);
        int rank = x.Rank;
        if (_axis < -rank || _axis >= rank)
        {
            throw ctx.Error($"axis {_axis} is out of range for rank {rank}");
        }

        int axis = (int)(_axis < 0 ? _axis + rank : _axis);
        int outer = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= x.Dims[d];
        }

        int size = outer == 0 ? 0 : x.Length / outer;
        var normDims = x.Dims[axis..];

        // Per-row statistics in pooled scratch (steady-state runs allocate nothing here).
        var means = ctx.RentScratch<double>(outer).Span;
        var invStd = ctx.RentScratch<double>(outer).Span;
        // Every row of Y is written.
        var y = ctx.OutputUninitialized(0, x.DataType, x.Dims);
        switch (x.DataType)
        {
            case DataType.Float32:
                var p = FloatParametersFor(ctx, scaleTensor, biasTensor, normDims, size);
                LayerNormFloat.Run(x.AsSpan<float>(), y.AsSpan<float>(), outer, size, p.Scale, p.Bias, _epsilon, means, invStd, ctx.IntraOpThreads);
                break;
            case DataType.Float64:
                var scale = Expand(ctx, scaleTensor, normDims, "Scale");
                var bias = biasTensor is null ? null : Expand(ctx, biasTensor, normDims, "B");
                Run(x.AsSpan<double>(), y.AsSpan<double>(), outer, size, scale, bias, _epsilon, means, invStd);
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                var ph = FloatParametersFor(ctx, scaleTensor, biasTensor, normDims, size);
                LayerNormFloat.Run(FloatConversion.ToFloat(x), yf, outer, size, ph.Scale, ph.Bias, _epsilon, means, invStd, ctx.IntraOpThreads);
                FloatConversion.FromFloat(yf, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }

        WriteStatistics(ctx, 1, x, axis, means);
        WriteStatistics(ctx, 2, x, axis, invStd);
    }

    /// <summary>Scale and B as float arrays over the normalized shape; cached when both are the node's constants.</summary>
    private FloatParameters FloatParametersFor(KernelContext ctx, Tensor scale, Tensor? bias, ReadOnlySpan<int> normDims, int size)
    {
        bool constant = ReferenceEquals(scale, _constantScale) && (bias is null || ReferenceEquals(bias, _constantBias));
        if (constant && _cached is { } hit && hit.HasBias == bias is not null && normDims.SequenceEqual(hit.NormDims))
        {
            return hit;
        }

        var p = new FloatParameters(
            normDims.ToArray(),
            Cast<float>(Expand(ctx, scale, normDims, "Scale")),
            bias is null ? null : Cast<float>(Expand(ctx, bias, normDims, "B")));
        if (constant)
        {
            _cached = p;
        }

        return p;
    }

    /// <summary>The scalar reference (float64 inputs; the oracle the float path is tested against).</summary>
    internal static void Run<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int size, T[] scale, T[]? bias, float epsilon, Span<double> means, Span<double> invStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var src = x.Slice(o * size, size);
            var dst = y.Slice(o * size, size);
            var (mean, variance) = Moments.Of(src);
            double inv = 1 / Math.Sqrt(variance + epsilon);
            means[o] = mean;
            invStd[o] = inv;

            // dst = (x - mean) * inv * scale + B
            System.Numerics.Tensors.TensorPrimitives.Subtract(src, T.CreateChecked(mean), dst);
            System.Numerics.Tensors.TensorPrimitives.Multiply(dst, T.CreateChecked(inv), dst);
            if (bias is null)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(dst, scale, dst);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(dst, scale, bias, dst);
            }
        }
    }

    /// <summary>Output <paramref name="output"/> (when requested): the statistics in X's shape with the normalized axes 1.</summary>
    private void WriteStatistics(KernelContext ctx, int output, Tensor x, int axis, ReadOnlySpan<double> values)
    {
        if (!ctx.IsOutputRequested(output))
        {
            return;
        }

        var dims = x.DimsArray();
        for (int d = axis; d < dims.Length; d++)
        {
            dims[d] = 1;
        }

        var t = ctx.Output(output, _stashType, dims);
        switch (_stashType)
        {
            case DataType.Float64:
                values.CopyTo(t.AsSpan<double>());
                break;
            case DataType.Float32:
            case DataType.Float16:
            case DataType.BFloat16:
                FloatConversion.FromFloat(Cast<float>(values.ToArray()), t);
                break;
            default:
                throw ctx.Error($"stash_type {(int)_stashType} ({_stashType.Name()}) is not a float type");
        }
    }

    /// <summary>The parameter broadcast (numpy, right-aligned) to the normalized dims, flattened.</summary>
    private static double[] Expand(KernelContext ctx, Tensor t, ReadOnlySpan<int> target, string name)
    {
        var values = t.ToDoubleArray();
        if (t.Dims.SequenceEqual(target))
        {
            return values;
        }

        int offset = target.Length - t.Rank;
        bool ok = offset >= 0;
        for (int d = 0; ok && d < t.Rank; d++)
        {
            ok = t.Dims[d] == 1 || t.Dims[d] == target[d + offset];
        }

        if (!ok)
        {
            throw ctx.Error($"{name} {t.ShapeString} cannot be broadcast to the normalized shape {Shape.Format(target)}");
        }

        var strides = new long[target.Length];
        BroadcastDriver.Strides(t.Dims, target, strides);
        int count = 1;
        foreach (int d in target)
        {
            count *= d;
        }

        var result = new double[count];
        var idx = new int[target.Length];
        for (int i = 0; i < count; i++)
        {
            long off = 0;
            for (int d = 0; d < target.Length; d++)
            {
                off += idx[d] * strides[d];
            }

            result[i] = values[off];
            for (int d = target.Length - 1; d >= 0 && ++idx[d] == target[d]; d--)
            {
                idx[d] = 0;
            }
        }

        return result;
    }

    private static T[] Cast<T>(double[] values)
        where T : INumber<T> => Array.ConvertAll(values, T.CreateChecked);

    private sealed class FloatParameters(int[] normDims, float[] scale, float[]? bias)
    {
        public int[] NormDims { get; } = normDims;

        public float[] Scale { get; } = scale;

        public float[]? Bias { get; } = bias;

        public bool HasBias => Bias is not null;
    }
}
