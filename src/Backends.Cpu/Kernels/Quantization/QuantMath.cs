using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>Shared arithmetic of the quantization kernels: integer reads, round-half-to-even with saturation, per-axis parameters.</summary>
internal static class QuantMath
{
    /// <summary>The representable range of a quantized element type.</summary>
    public static (int Min, int Max) Range(KernelContext context, DataType type) => type switch
    {
        DataType.UInt8 => (byte.MinValue, byte.MaxValue),
        DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DataType.UInt16 => (ushort.MinValue, ushort.MaxValue),
        DataType.Int16 => (short.MinValue, short.MaxValue),
        DataType.Int32 => (int.MinValue, int.MaxValue),
        _ => throw context.Error($"unsupported quantized element type {type.Name()}"),
    };

    /// <summary>saturate(round_half_to_even(v) + zeroPoint) into [min, max].</summary>
    public static int Quantize(double v, int zeroPoint, int min, int max)
    {
        double q = Math.Round(v, MidpointRounding.ToEven) + zeroPoint;
        return q <= min ? min : q >= max ? max : (int)q;
    }

    /// <summary>Reads an 8/16/32-bit integer tensor as int32.</summary>
    public static int[] ToInt32(KernelContext context, Tensor t, string what)
    {
        if (t.DataType is not (DataType.UInt8 or DataType.Int8 or DataType.UInt16 or DataType.Int16 or DataType.Int32))
        {
            throw context.Error($"{what} must be an 8-, 16- or 32-bit integer tensor, got {t.DataType.Name()}");
        }

        return Array.ConvertAll(t.ToInt64Array(), v => (int)v);
    }

    /// <summary>Reads a float16/float32/float64 (or int32 for QuantizeLinear-10 inputs) tensor as float32.</summary>
    public static float[] ToFloat(KernelContext context, Tensor t, string what)
    {
        switch (t.DataType)
        {
            case DataType.Float32:
                return t.AsSpan<float>().ToArray();
            case DataType.Float16 or DataType.BFloat16 or DataType.Float64 or DataType.Int32:
                return Array.ConvertAll(t.ToDoubleArray(), v => (float)v);
            default:
                throw context.Error($"{what} must be a float tensor, got {t.DataType.Name()}");
        }
    }

    /// <summary>Writes int values (already saturated) into a tensor of a quantized element type.</summary>
    public static void Store(Tensor dst, ReadOnlySpan<int> values)
    {
        switch (dst.DataType)
        {
            case DataType.UInt8: Narrow(values, dst.AsSpan<byte>()); break;
            case DataType.Int8: Narrow(values, dst.AsSpan<sbyte>()); break;
            case DataType.UInt16: Narrow(values, dst.AsSpan<ushort>()); break;
            case DataType.Int16: Narrow(values, dst.AsSpan<short>()); break;
            case DataType.Int32: values.CopyTo(dst.AsSpan<int>()); break;
            default: throw new DataTypeMismatchException($"cannot store quantized values into {dst.DataType.Name()}");
        }

        static void Narrow<T>(ReadOnlySpan<int> src, Span<T> dst)
            where T : System.Numerics.IBinaryInteger<T>
        {
            for (int i = 0; i < src.Length; i++)
            {
                dst[i] = T.CreateTruncating(src[i]);
            }
        }
    }

    /// <summary>
    /// Resolves per-tensor vs per-axis quantization parameters for x: returns (channels, inner) so that element i
    /// uses parameter index channels == 1 ? 0 : (i / inner) % channels. Parameters must have one element or be 1-D
    /// with x.Dims[axis] elements.
    /// </summary>
    public static (int Channels, int Inner) PerAxis(KernelContext context, Tensor x, long axis, params Tensor?[] parameters)
    {
        int length = 1;
        foreach (var p in parameters)
        {
            if (p is null || p.Length == 1)
            {
                continue;
            }

            if (p.Rank != 1)
            {
                throw context.Error($"scale and zero point must be scalars or 1-D, got shape {p.ShapeString}");
            }

            if (length != 1 && p.Length != length)
            {
                throw context.Error($"scale and zero point lengths disagree ({length} vs {p.Length})");
            }

            length = p.Length;
        }

        if (length == 1)
        {
            return (1, 1);
        }

        if (axis < -x.Rank || axis >= x.Rank)
        {
            throw context.Error($"axis {axis} is out of range for input rank {x.Rank}");
        }

        int a = (int)(axis < 0 ? axis + x.Rank : axis);
        if (x.Dims[a] != length)
        {
            throw context.Error($"per-axis parameters have {length} elements but input dimension {a} of shape {x.ShapeString} is {x.Dims[a]}");
        }

        int inner = 1;
        for (int d = a + 1; d < x.Rank; d++)
        {
            inner *= x.Dims[d];
        }

        return (length, inner);
    }

    /// <summary>A zero point as int32 values (zeros when omitted); checks it has the expected element type.</summary>
    public static int[] ZeroPoint(KernelContext context, Tensor? zeroPoint, DataType expected, string what)
    {
        if (zeroPoint is null)
        {
            return [0];
        }

        if (zeroPoint.DataType != expected)
        {
            throw context.Error($"{what} is {zeroPoint.DataType.Name()} but must match the quantized data type {expected.Name()}");
        }

        return ToInt32(context, zeroPoint, what);
    }
}
