namespace OpenAutoGlm.Runtime;

/// <summary>
/// Per-run counters shared by a run and the subgraph runs it starts (they run on the same thread):
/// live, peak and total bytes of allocator-owned tensors, and the node timings when profiling is on
/// (<see cref="Timings"/> is null otherwise, so a run without profiling records nothing per node).
/// </summary>
internal sealed class RunRecorder(List<NodeTiming>? timings)
{
    public List<NodeTiming>? Timings { get; } = timings;

    public long LiveBytes { get; private set; }

    public long PeakBytes { get; private set; }

    public long AllocatedBytes { get; private set; }

    public void Allocate(long bytes)
    {
        LiveBytes += bytes;
        AllocatedBytes += bytes;
        if (LiveBytes > PeakBytes)
        {
            PeakBytes = LiveBytes;
        }
    }

    public void Release(long bytes) => LiveBytes -= bytes;

    public void CopyTo(RunStatistics statistics)
    {
        statistics.PeakBytes = PeakBytes;
        statistics.AllocatedBytes = AllocatedBytes;
        statistics.LiveBytesAtEnd = LiveBytes;
    }
}
