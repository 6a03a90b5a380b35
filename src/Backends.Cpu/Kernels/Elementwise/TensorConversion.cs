using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Elementwise conversion between any two element types (ONNX Cast semantics): numbers convert through
/// generic math (float to integer truncates toward zero and saturates, NaN gives 0; integer narrowing wraps;
/// float to float16/bfloat16 rounds to nearest even), bool is 0/1 one way and x != 0 the other, and strings
/// parse and print with the invariant culture ("NaN", "INF", "-INF" for the special values).
/// </summary>
internal static class TensorConversion
{
    /// <summary>Writes <paramref name="source"/> converted into <paramref name="destination"/> (same element count).</summary>
    /// <exception cref="FormatException">A string element is not a number; the message quotes it.</exception>
    public static void Convert(Tensor source, Tensor destination)
    {
        if (source.DataType == destination.DataType)
        {
            CopySame(source, destination);
            return;
        }

        // The common float16 <-> float32 pairs go through TensorPrimitives' vectorized conversions.
        if (source.DataType == DataType.Float32 && destination.DataType == DataType.Float16)
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(source.AsSpan<float>(), destination.AsSpan<Half>());
            return;
        }

        if (source.DataType == DataType.Float16 && destination.DataType == DataType.Float32)
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(source.AsSpan<Half>(), destination.AsSpan<float>());
            return;
        }

        if (destination is StringTensor strings)
        {
            FormatAll(source, strings.Data);
            return;
        }

        switch (source.DataType)
        {
            case DataType.String:
                ParseAll(((StringTensor)source).Data, destination);
                break;
            case DataType.BFloat16:
                // bfloat16 has no generic-math implementation: widen exactly to float32 first.
                From<float>(FloatConversion.ToFloat(source), destination);
                break;
            case DataType.Bool: From<byte>(MemoryMarshal.Cast<bool, byte>(source.AsSpan<bool>()), destination); break;
            case DataType.Float32: From<float>(source.AsSpan<float>(), destination); break;
            case DataType.Float64: From<double>(source.AsSpan<double>(), destination); break;
            case DataType.Float16: From<Half>(source.AsSpan<Half>(), destination); break;
            case DataType.Int8: From<sbyte>(source.AsSpan<sbyte>(), destination); break;
            case DataType.Int16: From<short>(source.AsSpan<short>(), destination); break;
            case DataType.Int32: From<int>(source.AsSpan<int>(), destination); break;
            case DataType.Int64: From<long>(source.AsSpan<long>(), destination); break;
            case DataType.UInt8: From<byte>(source.AsSpan<byte>(), destination); break;
            case DataType.UInt16: From<ushort>(source.AsSpan<ushort>(), destination); break;
            case DataType.UInt32: From<uint>(source.AsSpan<uint>(), destination); break;
            case DataType.UInt64: From<ulong>(source.AsSpan<ulong>(), destination); break;
            default:
                throw new DataTypeMismatchException($"cannot convert from {source.DataType.Name()}");
        }
    }

    private static void CopySame(Tensor source, Tensor destination)
    {
        if (source is StringTensor s)
        {
            s.Data.CopyTo(((StringTensor)destination).Data, 0);
        }
        else
        {
            source.AsBytes().CopyTo(destination.AsBytes());
        }
    }

    private static void From<TFrom>(ReadOnlySpan<TFrom> src, Tensor dst)
        where TFrom : unmanaged, INumberBase<TFrom>
    {
        switch (dst.DataType)
        {
            case DataType.Bool:
                var bools = dst.AsSpan<bool>();
                for (int i = 0; i < src.Length; i++)
                {
                    bools[i] = !TFrom.IsZero(src[i]);
                }

                break;
            case DataType.BFloat16:
                var bf = dst.AsSpan<BFloat16>();
                for (int i = 0; i < src.Length; i++)
                {
                    bf[i] = (BFloat16)float.CreateTruncating(src[i]);
                }

                break;
            case DataType.Float32: Into(src, dst.AsSpan<float>()); break;
            case DataType.Float64: Into(src, dst.AsSpan<double>()); break;
            case DataType.Float16: Into(src, dst.AsSpan<Half>()); break;
            case DataType.Int8: Into(src, dst.AsSpan<sbyte>()); break;
            case DataType.Int16: Into(src, dst.AsSpan<short>()); break;
            case DataType.Int32: Into(src, dst.AsSpan<int>()); break;
            case DataType.Int64: Into(src, dst.AsSpan<long>()); break;
            case DataType.UInt8: Into(src, dst.AsSpan<byte>()); break;
            case DataType.UInt16: Into(src, dst.AsSpan<ushort>()); break;
            case DataType.UInt32: Into(src, dst.AsSpan<uint>()); break;
            case DataType.UInt64: Into(src, dst.AsSpan<ulong>()); break;
            default:
                throw new DataTypeMismatchException($"cannot convert to {dst.DataType.Name()}");
        }
    }

    private static void Into<TFrom, TTo>(ReadOnlySpan<TFrom> src, Span<TTo> dst)
        where TFrom : INumberBase<TFrom>
        where TTo : INumberBase<TTo>
    {
        for (int i = 0; i < src.Length; i++)
        {
            dst[i] = TTo.CreateTruncating(src[i]);
        }
    }

    private static void FormatAll(Tensor source, string[] dst)
    {
        switch (source.DataType)
        {
            case DataType.Bool:
                var b = source.AsSpan<bool>();
                for (int i = 0; i < b.Length; i++)
                {
                    dst[i] = b[i] ? "1" : "0";
                }

                break;
            case DataType.Float32: FormatFloats<float>(source.AsSpan<float>(), dst); break;
            case DataType.Float64: FormatFloats<double>(source.AsSpan<double>(), dst); break;
            case DataType.Float16: FormatFloats<Half>(source.AsSpan<Half>(), dst); break;
            case DataType.BFloat16: FormatFloats<float>(FloatConversion.ToFloat(source), dst); break;
            case DataType.UInt64:
                var u = source.AsSpan<ulong>();
                for (int i = 0; i < u.Length; i++)
                {
                    dst[i] = u[i].ToString(CultureInfo.InvariantCulture);
                }

                break;
            default:
                var l = source.ToInt64Array();
                for (int i = 0; i < l.Length; i++)
                {
                    dst[i] = l[i].ToString(CultureInfo.InvariantCulture);
                }

                break;
        }
    }

    /// <summary>Shortest round-trip text of each value in its own precision, C-style exponent, ONNX's special names.</summary>
    private static void FormatFloats<T>(ReadOnlySpan<T> src, string[] dst)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < src.Length; i++)
        {
            T v = src[i];
            dst[i] = T.IsNaN(v) ? "NaN"
                : T.IsPositiveInfinity(v) ? "INF"
                : T.IsNegativeInfinity(v) ? "-INF"
                : v.ToString(null, CultureInfo.InvariantCulture).Replace('E', 'e');
        }
    }

    private static void ParseAll(string[] src, Tensor dst)
    {
        if (dst.DataType.IsInteger())
        {
            var values = new Tensor<long>(dst.Dims);
            var span = values.Span;
            if (dst.DataType == DataType.UInt64)
            {
                // Values above long.MaxValue keep their bits through the long carrier.
                for (int i = 0; i < src.Length; i++)
                {
                    span[i] = ulong.TryParse(src[i].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong u) ? (long)u : ParseInteger(src[i]);
                }

                From<ulong>(MemoryMarshal.Cast<long, ulong>(span), dst);
                return;
            }

            for (int i = 0; i < src.Length; i++)
            {
                span[i] = ParseInteger(src[i]);
            }

            From<long>(span, dst);
            return;
        }

        if (dst.DataType == DataType.Bool)
        {
            var bools = dst.AsSpan<bool>();
            for (int i = 0; i < src.Length; i++)
            {
                string s = src[i].Trim();
                bools[i] = s.Equals("true", StringComparison.OrdinalIgnoreCase) || (!s.Equals("false", StringComparison.OrdinalIgnoreCase) && ParseDouble(s) != 0);
            }

            return;
        }

        var doubles = new double[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            doubles[i] = ParseDouble(src[i]);
        }

        if (dst.DataType == DataType.Float32)
        {
            // Parse float32 directly so the nearest float is chosen (no double rounding).
            var fs = dst.AsSpan<float>();
            for (int i = 0; i < src.Length; i++)
            {
                fs[i] = float.TryParse(src[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v : (float)doubles[i];
            }

            return;
        }

        From<double>(doubles, dst);
    }

    /// <summary>An integer string; a decimal such as "100.5" truncates toward zero (ONNX leaves it undefined).</summary>
    private static long ParseInteger(string text)
    {
        string s = text.Trim();
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
        {
            return v;
        }

        return long.CreateTruncating(ParseDouble(s));
    }

    /// <summary>A decimal or scientific number, or "NaN", "INF", "+INF", "-INF" in any case (also "Infinity").</summary>
    public static double ParseDouble(string text)
    {
        string s = text.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            return v;
        }

        string unsigned = s.TrimStart('+', '-');
        bool negative = s.StartsWith('-');
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        throw new FormatException($"string '{text}' is not a number");
    }
}
