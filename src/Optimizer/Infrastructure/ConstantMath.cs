using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer;

/// <summary>Reading and writing small float constants for weight folding (float16, bfloat16, float32, float64).</summary>
public static class ConstantMath
{
    public static bool IsFoldableFloat(DataType type) => type is DataType.Float32 or DataType.Float64 or DataType.Float16 or DataType.BFloat16;

    /// <summary>A new tensor of <paramref name="type"/> holding <paramref name="values"/> (rounded to the type).</summary>
    public static Tensor Create(DataType type, double[] values, int[] dims)
    {
        var t = Tensor.Allocate(type, dims);
        switch (type)
        {
            case DataType.Float32:
                var f = t.AsSpan<float>();
                for (int i = 0; i < values.Length; i++)
                {
                    f[i] = (float)values[i];
                }

                break;
            case DataType.Float64:
                values.CopyTo(t.AsSpan<double>());
                break;
            case DataType.Float16:
                var h = t.AsSpan<Half>();
                for (int i = 0; i < values.Length; i++)
                {
                    h[i] = (Half)values[i];
                }

                break;
            case DataType.BFloat16:
                var b = t.AsSpan<BFloat16>();
                for (int i = 0; i < values.Length; i++)
                {
                    b[i] = (BFloat16)(float)values[i];
                }

                break;
            default:
                throw new DataTypeMismatchException($"cannot fold constants of element type {type.Name()}");
        }

        return t;
    }

    /// <summary>
    /// The per-channel values of a constant that broadcasts against an output of rank <paramref name="outputRank"/>
    /// along axis <paramref name="channelAxis"/> only (every other aligned dim is 1): returns one value per channel
    /// (<paramref name="channels"/> of them; a single value is repeated), or null when the constant is not of that form.
    /// </summary>
    public static double[]? PerChannel(Tensor constant, int outputRank, int channelAxis, int channels)
    {
        if (constant.Rank > outputRank || !IsFoldableFloat(constant.DataType))
        {
            return null;
        }

        int offset = outputRank - constant.Rank;
        for (int j = 0; j < constant.Rank; j++)
        {
            int axis = offset + j;
            int d = constant.Dims[j];
            if (d != 1 && (axis != channelAxis || d != channels))
            {
                return null;
            }
        }

        var values = constant.ToDoubleArray();
        return values.Length == channels ? values : values.Length == 1 ? Enumerable.Repeat(values[0], channels).ToArray() : null;
    }

    /// <summary>Multiplies every slice of <paramref name="weights"/> along axis 0 by its channel's factor.</summary>
    public static Tensor ScaleAlongAxis0(Tensor weights, double[] factors)
    {
        var w = weights.ToDoubleArray();
        int per = weights.Dims[0] == 0 ? 0 : w.Length / weights.Dims[0];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= factors[i / per];
        }

        return Create(weights.DataType, w, weights.DimsArray());
    }

    /// <summary>Multiplies every column (last axis) of a 2-D <paramref name="weights"/> by its factor.</summary>
    public static Tensor ScaleColumns(Tensor weights, double[] factors)
    {
        var w = weights.ToDoubleArray();
        int cols = weights.Dims[^1];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= factors[i % cols];
        }

        return Create(weights.DataType, w, weights.DimsArray());
    }
}
