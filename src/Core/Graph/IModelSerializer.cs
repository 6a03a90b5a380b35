namespace OpenAutoGlm.Core;

/// <summary>
/// Turns models into bytes and back (the ONNX exporter/importer implements it). The runtime uses it to hash
/// models and to cache optimized ones without depending on a file format.
/// </summary>
public interface IModelSerializer
{
    /// <summary>A short name of the format, part of cache keys ("onnx").</summary>
    string Format { get; }

    byte[] Serialize(Model model);

    /// <summary>Reads a model; throws <see cref="ModelLoadException"/> on malformed bytes.</summary>
    Model Deserialize(byte[] bytes);

    /// <summary>Reads a model file (with any external data beside it); throws <see cref="ModelLoadException"/> on bad input.</summary>
    Model Load(string path);
}
