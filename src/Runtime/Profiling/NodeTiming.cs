namespace OpenAutoGlm.Runtime;

/// <summary>
/// One node execution recorded by the profiler. Times are <see cref="System.Diagnostics.Stopwatch"/>
/// timestamps (ticks of <see cref="System.Diagnostics.Stopwatch.Frequency"/>); <see cref="Depth"/> is 0 for
/// nodes of the main graph and grows by one per enclosing If/Loop/Scan body. <see cref="AllocatedBytes"/> is what
/// the running thread allocated on the managed heap during the node (its kernel, and subgraph runs it starts), so
/// per-op allocation is visible in profiles; work a kernel hands to pool threads is not included.
/// </summary>
public readonly record struct NodeTiming(
    string OpType,
    string NodeName,
    string Provider,
    long StartTimestamp,
    long ElapsedTicks,
    int ThreadId,
    int Depth,
    long AllocatedBytes = 0)
{
    public TimeSpan Elapsed => TimeSpan.FromTicks(ElapsedTicks * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency);
}
