namespace OpenAutoGlm.Core;

/// <summary>A named graph value with its (possibly partial or unknown) static type.</summary>
public sealed class ValueInfo
{
    public ValueInfo(string name, TypeInfo? type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public TypeInfo? Type { get; set; }

    public string DocString { get; set; } = string.Empty;

    public static ValueInfo Tensor(string name, DataType type, Shape? shape) => new(name, new TensorTypeInfo(type, shape));

    /// <summary>The tensor element type when this is a tensor value of known type.</summary>
    public DataType? ElementType => (Type as TensorTypeInfo)?.ElementType;

    /// <summary>The tensor shape when this is a tensor value of known rank.</summary>
    public Shape? Shape => (Type as TensorTypeInfo)?.Shape;

    public override string ToString() => $"{Name}: {Type?.ToString() ?? "?"}";
}
