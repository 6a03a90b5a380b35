namespace OpenAutoGlm.Core;

/// <summary>Element types. Numeric values match ONNX <c>TensorProto.DataType</c> so they round-trip unchanged.</summary>
public enum DataType
{
    Undefined = 0,
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Float64 = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}

public static class DataTypes
{
    /// <summary>Bytes per element; 0 for <see cref="DataType.String"/> and undefined types.</summary>
    public static int SizeOf(this DataType type) => type switch
    {
        DataType.Float32 or DataType.Int32 or DataType.UInt32 => 4,
        DataType.UInt8 or DataType.Int8 or DataType.Bool => 1,
        DataType.UInt16 or DataType.Int16 or DataType.Float16 or DataType.BFloat16 => 2,
        DataType.Int64 or DataType.UInt64 or DataType.Float64 or DataType.Complex64 => 8,
        DataType.Complex128 => 16,
        _ => 0,
    };

    public static bool IsFloatingPoint(this DataType type) =>
        type is DataType.Float32 or DataType.Float64 or DataType.Float16 or DataType.BFloat16;

    public static bool IsInteger(this DataType type) =>
        type is DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64
            or DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;

    public static bool IsSignedInteger(this DataType type) =>
        type is DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64;

    public static bool IsNumeric(this DataType type) => type.IsFloatingPoint() || type.IsInteger();

    /// <summary>Lower-case name as used in messages, the CLI and .npy headers (float32, int64, bool, ...).</summary>
    public static string Name(this DataType type) => type switch
    {
        DataType.Float32 => "float32",
        DataType.UInt8 => "uint8",
        DataType.Int8 => "int8",
        DataType.UInt16 => "uint16",
        DataType.Int16 => "int16",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        DataType.String => "string",
        DataType.Bool => "bool",
        DataType.Float16 => "float16",
        DataType.Float64 => "float64",
        DataType.UInt32 => "uint32",
        DataType.UInt64 => "uint64",
        DataType.Complex64 => "complex64",
        DataType.Complex128 => "complex128",
        DataType.BFloat16 => "bfloat16",
        _ => $"undefined({(int)type})",
    };

    /// <summary>The CLR element type used for tensors of <paramref name="type"/>, or null when none exists.</summary>
    public static Type? ClrType(this DataType type) => type switch
    {
        DataType.Float32 => typeof(float),
        DataType.UInt8 => typeof(byte),
        DataType.Int8 => typeof(sbyte),
        DataType.UInt16 => typeof(ushort),
        DataType.Int16 => typeof(short),
        DataType.Int32 => typeof(int),
        DataType.Int64 => typeof(long),
        DataType.String => typeof(string),
        DataType.Bool => typeof(bool),
        DataType.Float16 => typeof(Half),
        DataType.Float64 => typeof(double),
        DataType.UInt32 => typeof(uint),
        DataType.UInt64 => typeof(ulong),
        DataType.BFloat16 => typeof(BFloat16),
        _ => null,
    };

    /// <summary>The data type for CLR element type <typeparamref name="T"/>.</summary>
    public static DataType Of<T>() => DataTypeOf<T>.Value;

    private static class DataTypeOf<T>
    {
        public static readonly DataType Value = FromClr(typeof(T));
    }

    public static DataType FromClr(Type t)
    {
        if (t == typeof(float)) return DataType.Float32;
        if (t == typeof(byte)) return DataType.UInt8;
        if (t == typeof(sbyte)) return DataType.Int8;
        if (t == typeof(ushort)) return DataType.UInt16;
        if (t == typeof(short)) return DataType.Int16;
        if (t == typeof(int)) return DataType.Int32;
        if (t == typeof(long)) return DataType.Int64;
        if (t == typeof(string)) return DataType.String;
        if (t == typeof(bool)) return DataType.Bool;
        if (t == typeof(Half)) return DataType.Float16;
        if (t == typeof(double)) return DataType.Float64;
        if (t == typeof(uint)) return DataType.UInt32;
        if (t == typeof(ulong)) return DataType.UInt64;
        if (t == typeof(BFloat16)) return DataType.BFloat16;
        return DataType.Undefined;
    }

    /// <summary>Parses a name written by <see cref="Name"/> (also accepts "float", "double", "half").</summary>
    public static bool TryParse(string name, out DataType type)
    {
        type = name.ToLowerInvariant() switch
        {
            "float32" or "float" => DataType.Float32,
            "float64" or "double" => DataType.Float64,
            "float16" or "half" => DataType.Float16,
            "bfloat16" => DataType.BFloat16,
            "int8" => DataType.Int8,
            "int16" => DataType.Int16,
            "int32" => DataType.Int32,
            "int64" => DataType.Int64,
            "uint8" => DataType.UInt8,
            "uint16" => DataType.UInt16,
            "uint32" => DataType.UInt32,
            "uint64" => DataType.UInt64,
            "bool" => DataType.Bool,
            "string" => DataType.String,
            _ => DataType.Undefined,
        };
        return type != DataType.Undefined;
    }
}
