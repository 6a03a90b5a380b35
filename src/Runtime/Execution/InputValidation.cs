using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

/// <summary>Checks a caller's input against the graph input's declared type; messages name the input.</summary>
internal static class InputValidation
{
    public static void Check(ValueInfo declared, DataValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (declared.Type)
        {
            case null:
                return;
            case TensorTypeInfo expected:
                if (value is not Tensor t)
                {
                    throw new InvalidInputException($"input '{declared.Name}': expected a tensor {expected}, got {value.Type}");
                }

                if (expected.ElementType != DataType.Undefined && t.DataType != expected.ElementType)
                {
                    throw new InvalidInputException($"input '{declared.Name}': expected dtype {expected.ElementType.Name()}, got {t.DataType.Name()}");
                }

                if (expected.Shape is { } shape)
                {
                    if (shape.Rank != t.Rank)
                    {
                        throw new InvalidInputException($"input '{declared.Name}': expected rank {shape.Rank} (shape {shape}), got rank {t.Rank} (shape {t.ShapeString})");
                    }

                    for (int i = 0; i < shape.Rank; i++)
                    {
                        if (shape[i].Value is long d && d != t.Dims[i])
                        {
                            throw new InvalidInputException($"input '{declared.Name}': dimension {i} must be {d} (expected shape {shape}), got shape {t.ShapeString}");
                        }
                    }
                }

                return;
            case SequenceTypeInfo when value is not TensorSequence:
                throw new InvalidInputException($"input '{declared.Name}': expected {declared.Type}, got {value.Type}");
            case OptionalTypeInfo when value is not OptionalValue:
                throw new InvalidInputException($"input '{declared.Name}': expected {declared.Type}, got {value.Type}");
        }
    }
}
