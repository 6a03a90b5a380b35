using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm RmsNormalization: over the dims [axis, rank), Y = X / sqrt(mean(X^2) + epsilon) * scale.
/// scale's dims equal the trailing normalized dims (numpy right-aligned; size-1 dims broadcast). The mean of squares
/// accumulates in double. Attributes: axis (default -1), epsilon (default 1e-5).
/// </summary>
internal sealed class RmsNormalization : IKernel
{
    private readonly long _axis;
    private readonly float _epsilon;

    public RmsNormalization(KernelCreationContext ctx)
    {
        _axis = ctx.Attributes.GetInt("axis", -1);
        _epsilon = ctx.Attributes.GetFloat("epsilon", 1e-5f);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var scale = ctx.Input(1);
        if (x.DataType != DataType.Float32 || scale.DataType != DataType.Float32)
        {
            throw ctx.Error($"RmsNormalization computes float32 only, got X {x.DataType.Name()} and scale {scale.DataType.Name()}");
        }

        int rank = x.Rank;
        if (_axis < -rank || _axis >= rank)
        {
            throw ctx.Error($"axis {_axis} is out of range for X {x.ShapeString}");
        }

        int axis = (int)(_axis < 0 ? _axis + rank : _axis);
        var normDims = x.Dims[axis..];
        int size = 1;
        foreach (int d in normDims)
        {
            size *= d;
        }

        var gamma = NormalizationParams.Expand(ctx, scale, normDims, size, "scale");
        var y = ctx.Output(0, DataType.Float32, x.Dims);
        var xs = x.AsSpan<float>();
        var ys = y.AsSpan<float>();
        for (int row = 0; size > 0 && row < xs.Length; row += size)
        {
            var src = xs.Slice(row, size);
            double sumSquares = 0;
            foreach (float v in src)
            {
                sumSquares += (double)v * v;
            }

            float inv = (float)(1 / Math.Sqrt((sumSquares / size) + _epsilon));
            var dst = ys.Slice(row, size);
            System.Numerics.Tensors.TensorPrimitives.Multiply(src, inv, dst);
            System.Numerics.Tensors.TensorPrimitives.Multiply(dst, gamma, dst);
        }
    }
}

/// <summary>Broadcasting of the per-element parameters of the normalization ops to the normalized dims.</summary>
internal static class NormalizationParams
{
    /// <summary>The parameter as <paramref name="size"/> floats over <paramref name="normDims"/> (right-aligned, size-1 dims broadcast).</summary>
    public static float[] Expand(KernelContext ctx, Tensor t, ReadOnlySpan<int> normDims, int size, string name)
    {
        if (t.DataType != DataType.Float32)
        {
            throw ctx.Error($"{name} must be float32, got {t.DataType.Name()}");
        }

        int offset = normDims.Length - t.Rank;
        bool ok = offset >= 0;
        for (int d = 0; ok && d < t.Rank; d++)
        {
            ok = t.Dims[d] == 1 || t.Dims[d] == normDims[d + offset];
        }

        if (!ok)
        {
            throw ctx.Error($"{name} {t.ShapeString} cannot be broadcast to the normalized shape {Shape.Format(normDims)}");
        }

        var src = t.AsSpan<float>();
        if (t.Length == size)
        {
            return src.ToArray();
        }

        var strides = new long[normDims.Length];
        Simd.BroadcastDriver.Strides(t.Dims, normDims, strides);
        var result = new float[size];
        var idx = new int[normDims.Length];
        for (int i = 0; i < size; i++)
        {
            long off = 0;
            for (int d = 0; d < normDims.Length; d++)
            {
                off += idx[d] * strides[d];
            }

            result[i] = src[(int)off];
            for (int d = normDims.Length - 1; d >= 0 && ++idx[d] == normDims[d]; d--)
            {
                idx[d] = 0;
            }
        }

        return result;
    }
}
