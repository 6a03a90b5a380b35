using OpenAutoGlm.Core;

namespace OpenAutoGlm.Onnx;

/// <summary>ONNX as an <see cref="IModelSerializer"/> (weights inline): what sessions use to cache optimized models.</summary>
public sealed class OnnxModelSerializer : IModelSerializer
{
    public static OnnxModelSerializer Instance { get; } = new();

    public string Format => "onnx";

    public byte[] Serialize(Model model) => OnnxModelSaver.ToBytes(model);

    public Model Deserialize(byte[] bytes) => OnnxModelLoader.Load(bytes, null, "cached model");

    public Model Load(string path) => OnnxModelLoader.Load(path);
}
