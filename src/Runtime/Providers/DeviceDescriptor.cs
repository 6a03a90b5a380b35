using OpenAutoGlm.Core;

namespace OpenAutoGlm.Runtime;

public enum DeviceKind
{
    Cpu,
    Gpu,
    Accelerator,
}

/// <summary>What a provider's device is: used for reports, placement and the deployment recommender.</summary>
public sealed record DeviceDescriptor(
    string Name,
    DeviceKind Kind,
    long MemoryBytes,
    int ComputeUnits,
    IReadOnlyList<DataType> SupportedTypes)
{
    /// <summary>Peak memory bandwidth in GB/s when known.</summary>
    public double? MemoryBandwidthGBps { get; init; }

    /// <summary>Vector/ISA features (e.g. "AVX2", "FMA", "sm_90").</summary>
    public IReadOnlyList<string> Features { get; init; } = [];
}
