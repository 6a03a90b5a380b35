using Google.Protobuf;
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

        byte[] bytes = File.ReadAllBytes(path);
        return Load(bytes, Path.GetDirectoryName(Path.GetFullPath(path)), path);
    }

    /// <summary>Loads from bytes; <paramref name="baseDirectory"/> resolves external data (null forbids it).</summary>
    public static Model Load(ReadOnlySpan<byte> bytes, string? baseDirectory = null, string source = "model")
    {
        var proto = ParseModelProto(bytes.ToArray(), source);
        try
        {
            return new Importer(baseDirectory).ImportModel(proto);
        }
        catch (AutoGlmException ex) when (ex is not ModelLoadException)
        {
            throw new ModelLoadException($"{source}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException or FormatException)
        {
            throw new ModelLoadException($"{source}: {ex.Message}", ex);
        }
    }

    internal static ModelProto ParseModelProto(byte[] bytes, string source) =>
        Parse(ModelProto.Parser, bytes, source, "ModelProto");

    /// <summary>Parses a protobuf message, turning protobuf errors into <see cref="ModelLoadException"/> with the byte offset.</summary>
    internal static T Parse<T>(MessageParser<T> parser, byte[] bytes, string source, string what)
        where T : IMessage<T>
    {
        var input = new CodedInputStream(bytes);
        try
        {
            var message = parser.ParseFrom(input);
            return message;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ModelLoadException($"{source}: not a valid {what} (malformed protobuf near byte offset {input.Position} of {bytes.Length}): {ex.Message}", ex);
        }
    }
}
