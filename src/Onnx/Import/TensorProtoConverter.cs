using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx;

/// <summary>
/// TensorProto ⇄ <see cref="Tensor"/>. Reads raw_data (little-endian) or the typed repeated fields, and
/// external data confined to the model's folder. Every size is checked against the data actually present
/// before anything is allocated, so a corrupt dims field cannot trigger a huge allocation.
/// </summary>
public static class TensorProtoConverter
{
    /// <summary>Converts a TensorProto; <paramref name="baseDirectory"/> resolves external data (null: external data is an error).</summary>
    public static Tensor ToTensor(TensorProto proto, string? baseDirectory = null, string context = "tensor")
    {
        string name = proto.HasName && proto.Name.Length > 0 ? $"{context} '{proto.Name}'" : context;
        var dataType = (DataType)proto.DataType;
        if (dataType is DataType.Undefined or DataType.Complex64 or DataType.Complex128 || !Enum.IsDefined(dataType))
        {
            throw new ModelLoadException($"{name}: unsupported data_type {proto.DataType} ({dataType.Name()})");
        }

        if (proto.DataLocation is not (TensorProto.Types.DataLocation.Default or TensorProto.Types.DataLocation.External))
        {
            throw new ModelLoadException($"{name}: unknown data_location {(int)proto.DataLocation}");
        }

        if (proto.Segment is not null)
        {
            throw new ModelLoadException($"{name}: segmented tensors are not supported");
        }

        var dims = new int[proto.Dims.Count];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = proto.Dims[i];
            if (d < 0 || d > int.MaxValue)
            {
                throw new ModelLoadException($"{name}: invalid dimension {d} at index {i} of dims [{Dims(proto.Dims)}]");
            }

            dims[i] = (int)d;
            count *= d;
            if (count > int.MaxValue)
            {
                throw new ModelLoadException($"{name}: dims [{Dims(proto.Dims)}] describe more than {int.MaxValue} elements");
            }
        }

        int n = (int)count;
        if (dataType == DataType.String)
        {
            if (proto.StringData.Count != n)
            {
                throw new ModelLoadException($"{name}: string_data has {proto.StringData.Count} entries, dims [{Dims(proto.Dims)}] need {n}");
            }

            return new StringTensor(proto.StringData.Select(s => s.ToStringUtf8()).ToArray(), dims);
        }

        long byteCount = (long)n * dataType.SizeOf();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("raw tensor data is little-endian; big-endian hosts are not supported");
        }

        if (byteCount > Array.MaxLength)
        {
            throw new ModelLoadException($"{name}: {dataType.Name()} dims [{Dims(proto.Dims)}] need {byteCount} bytes, more than one tensor can hold ({Array.MaxLength})");
        }

        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
        {
            // Range and size are checked before the tensor is allocated, then the file is read straight into it.
            var external = ExternalData.Read(proto, baseDirectory, byteCount, name, () => Tensor.Allocate(dataType, dims));
            NormalizeBool(external);
            return external;
        }

        if (proto.HasRawData || proto.RawData.Length > 0)
        {
            if (proto.RawData.Length != byteCount)
            {
                throw new ModelLoadException($"{name}: raw_data has {proto.RawData.Length} bytes, {dataType.Name()} dims [{Dims(proto.Dims)}] need {byteCount}");
            }

            var t = Tensor.Allocate(dataType, dims);
            proto.RawData.Span.CopyTo(t.AsBytes());
            NormalizeBool(t);
            return t;
        }

        return FromTypedFields(proto, dataType, dims, n, name);
    }

    /// <summary>Dims for messages, shortened when a corrupt file has thousands of them.</summary>
    private static string Dims(IList<long> dims) =>
        dims.Count <= 16 ? string.Join(",", dims) : $"{string.Join(",", dims.Take(16))},… ({dims.Count} dims)";

    /// <summary>ONNX bools are one byte; any non-zero byte is true, stored as 1 so bool semantics hold.</summary>
    private static void NormalizeBool(Tensor t)
    {
        if (t.DataType != DataType.Bool)
        {
            return;
        }

        foreach (ref byte b in t.AsBytes())
        {
            b = b != 0 ? (byte)1 : (byte)0;
        }
    }

    private static Tensor FromTypedFields(TensorProto p, DataType dataType, int[] dims, int n, string name)
    {
        int available = dataType switch
        {
            DataType.Float32 => p.FloatData.Count,
            DataType.Float64 => p.DoubleData.Count,
            DataType.Int64 => p.Int64Data.Count,
            DataType.UInt32 or DataType.UInt64 => p.Uint64Data.Count,
            _ => p.Int32Data.Count,
        };
        if (available != n)
        {
            throw new ModelLoadException($"{name}: holds {available} {dataType.Name()} values, dims [{Dims(p.Dims)}] need {n}");
        }

        var t = Tensor.Allocate(dataType, dims);
        switch (dataType)
        {
            case DataType.Float32: Copy(p.FloatData, t.AsSpan<float>(), v => v); break;
            case DataType.Float64: Copy(p.DoubleData, t.AsSpan<double>(), v => v); break;
            case DataType.Int64: Copy(p.Int64Data, t.AsSpan<long>(), v => v); break;
            case DataType.UInt64: Copy(p.Uint64Data, t.AsSpan<ulong>(), v => v); break;
            case DataType.UInt32: Copy(p.Uint64Data, t.AsSpan<uint>(), v => (uint)v); break;
            case DataType.Int32: Copy(p.Int32Data, t.AsSpan<int>(), v => v); break;
            case DataType.Int16: Copy(p.Int32Data, t.AsSpan<short>(), v => (short)v); break;
            case DataType.Int8: Copy(p.Int32Data, t.AsSpan<sbyte>(), v => (sbyte)v); break;
            case DataType.UInt16: Copy(p.Int32Data, t.AsSpan<ushort>(), v => (ushort)v); break;
            case DataType.UInt8: Copy(p.Int32Data, t.AsSpan<byte>(), v => (byte)v); break;
            case DataType.Bool: Copy(p.Int32Data, t.AsSpan<bool>(), v => v != 0); break;
            case DataType.Float16: Copy(p.Int32Data, t.AsSpan<Half>(), v => BitConverter.UInt16BitsToHalf((ushort)v)); break;
            case DataType.BFloat16: Copy(p.Int32Data, t.AsSpan<BFloat16>(), v => BFloat16.FromRaw((ushort)v)); break;
            default: throw new ModelLoadException($"{name}: unsupported data_type {dataType.Name()}");
        }

        return t;
    }

    private static void Copy<TSrc, TDst>(IList<TSrc> src, Span<TDst> dst, Func<TSrc, TDst> convert)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = convert(src[i]);
        }
    }

    /// <summary>Converts a tensor to a TensorProto with raw_data (strings use string_data).</summary>
    public static TensorProto FromTensor(Tensor tensor, string name = "")
    {
        var p = new TensorProto { DataType = (int)tensor.DataType };
        if (name.Length > 0)
        {
            p.Name = name;
        }

        foreach (int d in tensor.Dims)
        {
            p.Dims.Add(d);
        }

        if (tensor is StringTensor s)
        {
            foreach (var str in s.Data)
            {
                p.StringData.Add(ByteString.CopyFromUtf8(str));
            }
        }
        else
        {
            p.RawData = ByteString.CopyFrom(tensor.AsBytes());
        }

        return p;
    }

    internal static int ReadInt32(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadInt32LittleEndian(b);

    internal static Span<byte> Bytes<T>(Span<T> span)
        where T : unmanaged => MemoryMarshal.AsBytes(span);
}
