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
            _ => TensorProtoConverter.ToTensor(OnnxModelLoader.Parse(TensorProto.Parser, TensorProto.Descriptor, bytes, source), null, source),
        };
    }

    public static Tensor ReadTensor(string path) =>
        Read(path) as Tensor ?? throw new ModelLoadException($"'{path}' does not hold a tensor");

    private static TensorSequence FromSequence(SequenceProto s, string source)
    {
        if (s.ElemType != (int)SequenceProto.Types.DataType.Tensor && s.ElemType != 0)
        {
            throw new ModelLoadException($"{source}: sequences of element type {s.ElemType} are not supported (only tensors)");
        }

        var items = s.TensorValues.Select(t => TensorProtoConverter.ToTensor(t, null, source)).ToList();
        var elem = items.Count > 0 ? items[0].DataType : DataType.Float32;
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
