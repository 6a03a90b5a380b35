using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx;

/// <summary>
/// Reads and writes serialized values in the ONNX backend-test layout (input_N.pb / output_N.pb):
/// a TensorProto, or a SequenceProto / OptionalProto when the expected type says so.
/// </summary>
public static class OnnxValueReader
{
    public static DataValue Read(string path, TypeInfo? expectedType = null)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"value file '{path}' not found");
        }

        return Read(File.ReadAllBytes(path), expectedType, path);
    }

    public static DataValue Read(byte[] bytes, TypeInfo? expectedType, string source = "value")
    {
        return expectedType switch
        {
            SequenceTypeInfo => FromSequence(OnnxModelLoader.Parse(SequenceProto.Parser, SequenceProto.Descriptor, bytes, source), source),
            OptionalTypeInfo o => FromOptional(OnnxModelLoader.Parse(OptionalProto.Parser, OptionalProto.Descriptor, bytes, source), o, source),
            TensorTypeInfo { ElementType: DataType.BFloat16 } => AsBFloat16(TensorProtoConverter.ToTensor(OnnxModelLoader.Parse(TensorProto.Parser, TensorProto.Descriptor, bytes, source), null, source)),
            _ => TensorProtoConverter.ToTensor(OnnxModelLoader.Parse(TensorProto.Parser, TensorProto.Descriptor, bytes, source), null, source),
        };
    }

    /// <summary>
    /// ONNX 1.12's backend test data stores bfloat16 tensors with data_type UINT16 (the raw bit patterns); when the
    /// model declares bfloat16, reinterpret those bits instead of failing on the dtype.
    /// </summary>
    private static Tensor AsBFloat16(Tensor t)
    {
        if (t.DataType != DataType.UInt16)
        {
            return t;
        }

        var bits = t.AsSpan<ushort>();
        var result = new Tensor<BFloat16>(t.Dims);
        for (int i = 0; i < bits.Length; i++)
        {
            result.Span[i] = BFloat16.FromRaw(bits[i]);
        }

        return result;
    }

    public static Tensor ReadTensor(string path) =>
        Read(path) as Tensor ?? throw new ModelLoadException($"'{path}' does not hold a tensor");

    private static TensorSequence FromSequence(SequenceProto s, string source)
    {
        if (s.ElemType != (int)SequenceProto.Types.DataType.Tensor && s.ElemType != 0)
        {
            throw new ModelLoadException($"{source}: sequences of element type {s.ElemType} are not supported (only tensors)");
        }

        var items = s.TensorValues.Select((t, i) => TensorProtoConverter.ToTensor(t, null, $"{source} item {i}")).ToList();
        var elem = items.Count > 0 ? items[0].DataType : DataType.Float32;
        if (items.FindIndex(t => t.DataType != elem) is int bad and >= 0)
        {
            throw new ModelLoadException($"{source}: sequence item {bad} is {items[bad].DataType.Name()}, item 0 is {elem.Name()}; a sequence holds one element type");
        }

        return new TensorSequence(elem, items);
    }

    private static OptionalValue FromOptional(OptionalProto o, OptionalTypeInfo type, string source)
    {
        DataValue? value = o.ElemType switch
        {
            (int)OptionalProto.Types.DataType.Tensor when o.TensorValue is not null => TensorProtoConverter.ToTensor(o.TensorValue, null, source),
            (int)OptionalProto.Types.DataType.Sequence when o.SequenceValue is not null => FromSequence(o.SequenceValue, source),
            _ => null,
        };
        return new OptionalValue(type.ElementType, value);
    }

    /// <summary>Serializes a value in the same layout (TensorProto, SequenceProto or OptionalProto).</summary>
    public static byte[] Write(DataValue value, string name = "") => value switch
    {
        Tensor t => Google.Protobuf.MessageExtensions.ToByteArray(TensorProtoConverter.FromTensor(t, name)),
        TensorSequence s => Google.Protobuf.MessageExtensions.ToByteArray(ToSequence(s, name)),
        OptionalValue o => Google.Protobuf.MessageExtensions.ToByteArray(ToOptional(o, name)),
        _ => throw new ArgumentException($"cannot serialize {value.GetType().Name}"),
    };

    private static SequenceProto ToSequence(TensorSequence s, string name)
    {
        var p = new SequenceProto { Name = name, ElemType = (int)SequenceProto.Types.DataType.Tensor };
        p.TensorValues.AddRange(s.Items.Select(t => TensorProtoConverter.FromTensor(t)));
        return p;
    }

    private static OptionalProto ToOptional(OptionalValue o, string name)
    {
        var p = new OptionalProto { Name = name };
        switch (o.Value)
        {
            case Tensor t:
                p.ElemType = (int)OptionalProto.Types.DataType.Tensor;
                p.TensorValue = TensorProtoConverter.FromTensor(t);
                break;
            case TensorSequence s:
                p.ElemType = (int)OptionalProto.Types.DataType.Sequence;
                p.SequenceValue = ToSequence(s, string.Empty);
                break;
        }

        return p;
    }
}
