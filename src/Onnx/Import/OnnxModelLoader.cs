using Google.Protobuf;
using Google.Protobuf.Reflection;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx;

/// <summary>
/// Loads ONNX files into the Core IR. Anything malformed — truncated or corrupt protobuf, impossible sizes,
/// unknown attribute kinds, dangling references — raises <see cref="ModelLoadException"/> naming the problem.
/// </summary>
public static class OnnxModelLoader
{
    /// <summary>Largest model file accepted (protobuf's own limit).</summary>
    public const long MaxModelBytes = int.MaxValue;

    public static Model Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ModelLoadException($"model file '{path}' not found");
        }

        if (info.Length > MaxModelBytes)
        {
            throw new ModelLoadException($"model file '{path}' is {info.Length} bytes; ONNX protobuf files are limited to 2 GiB (store weights as external data)");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"model file '{path}' cannot be read: {ex.Message}", ex);
        }

        return Load(bytes, Path.GetDirectoryName(Path.GetFullPath(path)), path);
    }

    /// <summary>Loads from bytes; <paramref name="baseDirectory"/> resolves external data (null forbids it).</summary>
    public static Model Load(ReadOnlySpan<byte> bytes, string? baseDirectory = null, string source = "model")
    {
        if (bytes.IsEmpty)
        {
            throw new ModelLoadException($"{source}: the file is empty (0 bytes), not an ONNX model");
        }

        var proto = ParseModelProto(bytes.ToArray(), source);
        try
        {
            return new Importer(baseDirectory).ImportModel(proto);
        }
        catch (AutoGlmException ex)
        {
            throw new ModelLoadException($"{source}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException or FormatException)
        {
            throw new ModelLoadException($"{source}: {ex.Message}", ex);
        }
    }

    internal static ModelProto ParseModelProto(byte[] bytes, string source) =>
        Parse(ModelProto.Parser, ModelProto.Descriptor, bytes, source);

    /// <summary>
    /// Parses a protobuf message, turning parse errors into <see cref="ModelLoadException"/> that name the byte
    /// offset and field path where the input breaks (found by <see cref="WireFormatLocator"/>). Google.Protobuf
    /// signals most malformed input with <see cref="InvalidProtocolBufferException"/>, but some (a length prefix
    /// near int.MaxValue) surface as IndexOutOfRange/ArgumentOutOfRange from its internals; any exception from
    /// the parser means malformed input, so all of them are reported the same way.
    /// </summary>
    internal static T Parse<T>(MessageParser<T> parser, MessageDescriptor descriptor, byte[] bytes, string source)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            string where = WireFormatLocator.Locate(bytes, descriptor) ?? "the framing is sound but a value is not";
            throw new ModelLoadException($"{source}: not a valid {descriptor.Name} ({bytes.Length} bytes): {where}; protobuf says: {ex.Message}", ex);
        }
    }
}
