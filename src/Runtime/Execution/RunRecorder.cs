namespace OpenAutoGlm.Runtime;

/// <summary>
/// Per-run counters shared by a run and the subgraph runs it starts (they run on the same thread):
/// live, peak and total bytes of allocator-owned tensors, and the node timings when profiling is on
/// (<see cref="Timings"/> is null otherwise, so a run without profiling records nothing per node).
/// </summary>
internal sealed class RunRecorder(List<NodeTiming>? timings)
{
    public List<NodeTiming>? Timings { get; private set; } = timings;

    /// <summary>High-water mark of arena bytes in use (the largest over the frames of this run's graphs).</summary>
    public long ArenaPeakBytes { get; private set; }

    /// <summary>Bytes the top-level frame's arena holds at the end of the run (in use or free for the next run).</summary>
    public long ArenaReservedBytes { get; private set; }

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

    /// <summary>Records a frame's arena counters when its run ends (subgraph frames end first, the top level last).</summary>
    public void ObserveArena(long peakInUseBytes, long reservedBytes)
    {
        ArenaPeakBytes = Math.Max(ArenaPeakBytes, peakInUseBytes);
        ArenaReservedBytes = reservedBytes;
    }

    /// <summary>Clears the counters for a new run (a frame reuses its recorder).</summary>
    public void Reset(List<NodeTiming>? timings)
    {
        Timings = timings;
        LiveBytes = 0;
        PeakBytes = 0;
        AllocatedBytes = 0;
        ArenaPeakBytes = 0;
        ArenaReservedBytes = 0;
    }

    public void CopyTo(RunStatistics statistics)
    {
        statistics.PeakBytes = PeakBytes;
        statistics.AllocatedBytes = AllocatedBytes;
        statistics.LiveBytesAtEnd = LiveBytes;
        statistics.ArenaPeakBytes = ArenaPeakBytes;
        statistics.ArenaReservedBytes = ArenaReservedBytes;
    }
}
