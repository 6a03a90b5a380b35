using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli.Npy;

/// <summary>
/// Reads and writes numpy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0; spec:
/// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html). Layout: the magic
/// <c>\x93NUMPY</c>, major and minor version bytes, the header length (uint16 little-endian in 1.0,
/// uint32 in 2.0/3.0), the header dictionary (latin-1, UTF-8 in 3.0) padded with spaces to a multiple of
/// 64 bytes and ended by '\n', then the raw C-order element data.
/// <para>
/// Supported element types: float16/32/64, int8/16/32/64, uint8/16/32/64 and bool, little-endian, C order.
/// numpy has no bfloat16, so bfloat16 tensors are written as float32 (exactly: every bfloat16 is a float32).
/// Anything else (bad magic, truncated header or data, Fortran order, big-endian or unsupported dtypes,
/// data that does not match the shape) raises <see cref="NpyFormatException"/> naming the file.
/// </para>
/// </summary>
public static class NpyFile
{
    /// <summary>Largest header accepted when reading (numpy itself refuses headers over 10,000 bytes by default).</summary>
    public const int MaxHeaderBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static Tensor Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new NpyFormatException($"{path}: file not found");
        }

        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads one array from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static Tensor Read(Stream stream, string source)
    {
        Exception Fail(string message) => new NpyFormatException($"{source}: {message}");

        Span<byte> preamble = stackalloc byte[8];
        int got = ReadFully(stream, preamble);
        if (got < Magic.Length || !preamble[..Magic.Length].SequenceEqual(Magic))
        {
            throw Fail("not a .npy file (missing the \\x93NUMPY magic)");
        }

        if (got < preamble.Length)
        {
            throw Fail("truncated: the file ends inside the version bytes");
        }

        byte major = preamble[6];
        byte minor = preamble[7];
        if (major is < 1 or > 3)
        {
            throw Fail($"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");
        }

        Span<byte> lengthBytes = stackalloc byte[major == 1 ? 2 : 4];
        if (ReadFully(stream, lengthBytes) < lengthBytes.Length)
        {
            throw Fail("truncated: the file ends inside the header length");
        }

        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw Fail($"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        }

        var headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes) < headerBytes.Length)
        {
            throw Fail($"truncated: the header should be {headerLength} bytes but the file ends early");
        }

        string headerText = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var header = NpyHeader.Parse(headerText.Trim(), Fail);
        if (header.FortranOrder)
        {
            throw Fail("fortran_order=True is not supported; save a C-order array (np.ascontiguousarray)");
        }

        var type = NpyDtype.Parse(header.Descr, out string? dtypeError) ?? throw Fail(dtypeError!);
        int[] dims = ToDims(header.Shape, Fail);
        var tensor = Tensor.Allocate(type, dims);
        long expected = (long)tensor.Length * type.SizeOf();
        string shapeText = FormatShape(header.Shape);
        if (stream.CanSeek)
        {
            long available = stream.Length - stream.Position;
            if (available < expected)
            {
                throw Fail($"truncated data: shape {shapeText} of {header.Descr} needs {expected} bytes, the file has {available}");
            }

            if (available > expected)
            {
                throw Fail($"data does not match the shape: shape {shapeText} of {header.Descr} needs {expected} bytes, the file has {available}");
            }
        }

        var data = tensor.AsBytes();
        int read = ReadFully(stream, data);
        if (read < data.Length)
        {
            throw Fail($"truncated data: shape {shapeText} of {header.Descr} needs {expected} bytes, the file has {read}");
        }

        if (!stream.CanSeek && stream.ReadByte() >= 0)
        {
            throw Fail($"data does not match the shape: more than {expected} bytes follow the header for shape {shapeText} of {header.Descr}");
        }

        if (type == DataType.Bool)
        {
            // numpy treats any non-zero byte as True; a .NET bool must be exactly 0 or 1.
            foreach (ref byte b in data)
            {
                b = b != 0 ? (byte)1 : (byte)0;
            }
        }

        return tensor;
    }

    public static void Write(string path, Tensor tensor)
    {
        using var stream = File.Create(path);
        Write(stream, tensor);
    }

    /// <summary>Writes <paramref name="tensor"/> as format 1.0 (2.0 when the header would not fit).</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        string descr = NpyDtype.ToDescr(tensor.DataType);
        string dict = new NpyHeader(descr, false, Array.ConvertAll(tensor.DimsArray(), d => (long)d)).Format();

        // Pad so that magic + version + length field + header (ending in '\n') is a multiple of 64 bytes.
        int major = dict.Length + 1 + 10 <= ushort.MaxValue ? 1 : 2;
        int preambleLength = major == 1 ? 10 : 12;
        int padding = (64 - ((preambleLength + dict.Length + 1) % 64)) % 64;
        byte[] header = Encoding.Latin1.GetBytes(dict + new string(' ', padding) + "\n");

        Span<byte> preamble = stackalloc byte[preambleLength];
        Magic.CopyTo(preamble);
        preamble[6] = (byte)major;
        preamble[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(preamble[8..], (ushort)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(preamble[8..], (uint)header.Length);
        }

        stream.Write(preamble);
        stream.Write(header);
        if (tensor.DataType == DataType.BFloat16)
        {
            var src = tensor.AsReadOnlySpan<BFloat16>();
            var widened = new float[src.Length];
            for (int i = 0; i < src.Length; i++)
            {
                widened[i] = (float)src[i];
            }

            stream.Write(MemoryMarshal.AsBytes(widened.AsSpan()));
        }
        else
        {
            // Tensor storage is little-endian on every platform .NET runs this code on.
            stream.Write(tensor.AsBytes());
        }
    }

    private static int[] ToDims(long[] shape, Func<string, Exception> fail)
    {
        var dims = new int[shape.Length];
        double count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] > int.MaxValue)
            {
                throw fail($"dimension {i} of shape {FormatShape(shape)} is too large");
            }

            dims[i] = (int)shape[i];
            count *= shape[i];
        }

        if (count > int.MaxValue)
        {
            throw fail($"shape {FormatShape(shape)} has more than {int.MaxValue} elements");
        }

        return dims;
    }

    private static string FormatShape(long[] shape) =>
        "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + (shape.Length == 1 ? ",)" : ")");

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
