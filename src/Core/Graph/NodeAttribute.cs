namespace OpenAutoGlm.Core;

/// <summary>
/// One node attribute. <see cref="Value"/> holds, by kind: float, long, string, <see cref="Tensor"/>,
/// <see cref="Graph"/>, <see cref="SparseTensor"/>, <see cref="TypeInfo"/>, or arrays of those
/// (float[], long[], string[], Tensor[], Graph[], SparseTensor[], TypeInfo[]).
/// <see cref="RefAttributeName"/> is set inside function bodies for attributes that refer to the caller's.
/// </summary>
public sealed class NodeAttribute
{
    public NodeAttribute(string name, AttributeKind kind, object value, string? refAttributeName = null)
    {
        Name = name;
        Kind = kind;
        Value = value;
        RefAttributeName = refAttributeName;
    }

    public string Name { get; }

    public AttributeKind Kind { get; }

    public object Value { get; }

    public string? RefAttributeName { get; }

    public string DocString { get; init; } = string.Empty;

    public static NodeAttribute Of(string name, long value) => new(name, AttributeKind.Int, value);

    public static NodeAttribute Of(string name, float value) => new(name, AttributeKind.Float, value);

    public static NodeAttribute Of(string name, string value) => new(name, AttributeKind.String, value);

    public static NodeAttribute Of(string name, long[] value) => new(name, AttributeKind.Ints, value);

    public static NodeAttribute Of(string name, float[] value) => new(name, AttributeKind.Floats, value);

    public static NodeAttribute Of(string name, string[] value) => new(name, AttributeKind.Strings, value);

    public static NodeAttribute Of(string name, Tensor value) => new(name, AttributeKind.Tensor, value);

    public static NodeAttribute Of(string name, Graph value) => new(name, AttributeKind.Graph, value);

    public override string ToString() => Kind switch
    {
        AttributeKind.Ints => $"{Name}=[{string.Join(",", (long[])Value)}]",
        AttributeKind.Floats => $"{Name}=[{string.Join(",", (float[])Value)}]",
        AttributeKind.Strings => $"{Name}=[{string.Join(",", (string[])Value)}]",
        _ => $"{Name}={Value}",
    };
}
