using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli.Npy;

/// <summary>
/// Maps numpy <c>descr</c> strings to element types. Only little-endian (<c>&lt;</c>), byte-order-free
/// (<c>|</c>) and native (<c>=</c>, assumed little-endian) numeric and bool types are accepted.
/// </summary>
internal static class NpyDtype
{
    /// <summary>The descr numpy writes for <paramref name="type"/>; bfloat16 has none and is written as float32.</summary>
    public static string ToDescr(DataType type) => type switch
    {
        DataType.Float16 => "<f2",
        DataType.Float32 or DataType.BFloat16 => "<f4",
        DataType.Float64 => "<f8",
        DataType.Int8 => "|i1",
        DataType.Int16 => "<i2",
        DataType.Int32 => "<i4",
        DataType.Int64 => "<i8",
        DataType.UInt8 => "|u1",
        DataType.UInt16 => "<u2",
        DataType.UInt32 => "<u4",
        DataType.UInt64 => "<u8",
        DataType.Bool => "|b1",
        _ => throw new NpyFormatException($"{type.Name()} tensors cannot be written as .npy (numeric and bool only)"),
    };

    /// <summary>Parses a descr; returns null and sets <paramref name="error"/> when it is not supported.</summary>
    public static DataType? Parse(string descr, out string? error)
    {
        error = null;
        if (descr.Length < 2)
        {
            error = $"unsupported dtype descr '{descr}'";
            return null;
        }

        char order = descr[0];
        string code = descr[1..];
        if (order == '>')
        {
            error = $"big-endian dtype '{descr}' is not supported (save the array as little-endian, e.g. arr.astype('<{code}'))";
            return null;
        }

        if (order is not ('<' or '|' or '='))
        {
            // numpy always writes a byte-order character; a bare 'f4' is accepted as little-endian.
            code = descr;
        }

        DataType? type = code switch
        {
            "f2" => DataType.Float16,
            "f4" => DataType.Float32,
            "f8" => DataType.Float64,
            "i1" => DataType.Int8,
            "i2" => DataType.Int16,
            "i4" => DataType.Int32,
            "i8" => DataType.Int64,
            "u1" => DataType.UInt8,
            "u2" => DataType.UInt16,
            "u4" => DataType.UInt32,
            "u8" => DataType.UInt64,
            "b1" or "?" => DataType.Bool,
            _ => null,
        };
        if (type is null)
        {
            error = $"unsupported dtype descr '{descr}' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1, little-endian)";
        }

        return type;
    }
}
