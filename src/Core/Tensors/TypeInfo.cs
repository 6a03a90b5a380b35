namespace OpenAutoGlm.Core;

/// <summary>The static type of a graph value: a tensor, a sequence or an optional.</summary>
public abstract record TypeInfo;

/// <summary>A tensor type; <see cref="Shape"/> is null when the rank is unknown.</summary>
public sealed record TensorTypeInfo(DataType ElementType, Shape? Shape) : TypeInfo
{
    public override string ToString() => $"{ElementType.Name()}{Shape?.ToString() ?? "[?]"}";
}

public sealed record SequenceTypeInfo(TypeInfo ElementType) : TypeInfo
{
    public override string ToString() => $"seq({ElementType})";
}

public sealed record OptionalTypeInfo(TypeInfo ElementType) : TypeInfo
{
    public override string ToString() => $"optional({ElementType})";
}

/// <summary>ONNX map type (only carried through load/save; no kernel produces maps).</summary>
public sealed record MapTypeInfo(DataType KeyType, TypeInfo ValueType) : TypeInfo
{
    public override string ToString() => $"map({KeyType.Name()},{ValueType})";
}
