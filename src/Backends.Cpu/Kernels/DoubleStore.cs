using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Kernels;

/// <summary>Writes doubles into a tensor of any numeric or bool element type (saturating casts for integers, != 0 for bool).</summary>
internal static class DoubleStore
{
    public static void Store(Tensor destination, ReadOnlySpan<double> values)
    {
        switch (destination.DataType)
        {
            case DataType.Float32: Convert(values, destination.AsSpan<float>(), static v => (float)v); break;
            case DataType.Float64: values.CopyTo(destination.AsSpan<double>()); break;
            case DataType.Float16: Convert(values, destination.AsSpan<Half>(), static v => (Half)v); break;
            case DataType.BFloat16: Convert(values, destination.AsSpan<BFloat16>(), static v => (BFloat16)(float)v); break;
            case DataType.Int8: Convert(values, destination.AsSpan<sbyte>(), sbyte.CreateSaturating); break;
            case DataType.Int16: Convert(values, destination.AsSpan<short>(), short.CreateSaturating); break;
            case DataType.Int32: Convert(values, destination.AsSpan<int>(), int.CreateSaturating); break;
            case DataType.Int64: Convert(values, destination.AsSpan<long>(), long.CreateSaturating); break;
            case DataType.UInt8: Convert(values, destination.AsSpan<byte>(), byte.CreateSaturating); break;
            case DataType.UInt16: Convert(values, destination.AsSpan<ushort>(), ushort.CreateSaturating); break;
            case DataType.UInt32: Convert(values, destination.AsSpan<uint>(), uint.CreateSaturating); break;
            case DataType.UInt64: Convert(values, destination.AsSpan<ulong>(), ulong.CreateSaturating); break;
            case DataType.Bool: Convert(values, destination.AsSpan<bool>(), static v => v != 0); break;
            default: throw new DataTypeMismatchException($"cannot store numbers into a {destination.DataType.Name()} tensor");
        }
    }

    private static void Convert<T>(ReadOnlySpan<double> src, Span<T> dst, Func<double, T> convert)
    {
        for (int i = 0; i < src.Length; i++)
        {
            dst[i] = convert(src[i]);
        }
    }
}
