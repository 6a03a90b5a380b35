using System.Diagnostics;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// What one <see cref="InferenceSession.Run(IReadOnlyDictionary{string, Core.DataValue}, IReadOnlyCollection{string}?, CancellationToken)"/>
/// did: its wall time, the node timings in execution order (subgraph nodes included) and the memory of the
/// tensors its kernels allocated through the provider allocators (see <see cref="RunStatistics"/>).
/// </summary>
public sealed class RunProfile
{
    internal RunProfile(int index, long startTimestamp, long elapsedTicks, long peakBytes, long allocatedBytes, NodeTiming[] nodes)
    {
        Index = index;
        StartTimestamp = startTimestamp;
        ElapsedTicks = elapsedTicks;
        PeakBytes = peakBytes;
        AllocatedBytes = allocatedBytes;
        Nodes = nodes;
    }

    /// <summary>0 for the session's first profiled run, then 1, 2, ...</summary>
    public int Index { get; }

    /// <summary>Stopwatch timestamp at the start of the run.</summary>
    public long StartTimestamp { get; }

    public long ElapsedTicks { get; }

    public TimeSpan Elapsed => TimeSpan.FromTicks(ElapsedTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

    /// <summary>Peak bytes of live allocator-owned tensors during the run.</summary>
    public long PeakBytes { get; }

    /// <summary>Total bytes allocated through the allocators during the run.</summary>
    public long AllocatedBytes { get; }

    public IReadOnlyList<NodeTiming> Nodes { get; }
}
