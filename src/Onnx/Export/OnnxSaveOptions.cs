namespace OpenAutoGlm.Onnx;

/// <summary>How <see cref="OnnxModelSaver.Save"/> lays out weights.</summary>
public sealed record OnnxSaveOptions
{
    /// <summary>
    /// File name, in the model's folder, that receives large initializers as ONNX external data; null writes every
    /// weight inline (limited to 2 GiB in all, protobuf's limit).
    /// </summary>
    public string? ExternalDataFile { get; init; }

    /// <summary>Initializers of at least this many bytes go to <see cref="ExternalDataFile"/>; smaller ones stay inline.</summary>
    public long ExternalDataThreshold { get; init; } = 1024;

    /// <summary>Offsets of external tensors are multiples of this (so the file can be memory-mapped and read aligned).</summary>
    public int ExternalDataAlignment { get; init; } = 64;
}
