namespace OpenAutoGlm.Core;

/// <summary>A value that flows along a graph edge at run time: a tensor, a sequence of tensors or an optional.</summary>
public abstract class DataValue
{
    /// <summary>The static type this value satisfies (shape fully known for tensors).</summary>
    public abstract TypeInfo Type { get; }
}

/// <summary>An ONNX sequence: an ordered list of tensors of one element type.</summary>
public sealed class TensorSequence : DataValue
{
    public TensorSequence(DataType elementType, IEnumerable<Tensor>? items = null)
    {
        ElementType = elementType;
        Items = items?.ToList() ?? [];
    }

    public DataType ElementType { get; }

    public List<Tensor> Items { get; }

    public override TypeInfo Type => new SequenceTypeInfo(new TensorTypeInfo(ElementType, null));
}

/// <summary>An ONNX optional: either empty or holding one tensor or sequence.</summary>
public sealed class OptionalValue : DataValue
{
    public OptionalValue(TypeInfo elementType, DataValue? value)
    {
        ElementType = elementType;
        Value = value;
    }

    public TypeInfo ElementType { get; }

    public DataValue? Value { get; }

    public bool HasValue => Value is not null;

    public override TypeInfo Type => new OptionalTypeInfo(ElementType);
}
