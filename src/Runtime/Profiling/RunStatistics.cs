namespace OpenAutoGlm.Runtime;

/// <summary>
/// Memory counters of one run, filled by <see cref="InferenceSession.Run(IReadOnlyDictionary{string, Core.DataValue}, RunStatistics, IReadOnlyCollection{string}?, CancellationToken)"/>.
/// <para>
/// Counted: every tensor a kernel allocates through <see cref="KernelContext.Output"/> (that is, through the
/// provider's <see cref="IAllocator"/>), from its allocation until the executor drops the value after its last
/// reader (graph outputs stay live until the run ends; unread outputs are dropped at once). Not counted: feeds,
/// initializers, a kernel's private scratch, and views a kernel hands back with <see cref="KernelContext.SetOutput"/>
/// (they share the memory of a value that is counted). A view that outlives the value it aliases is not
/// counted after that value is dropped, and values a subgraph returns stop counting when the subgraph returns,
/// so the peak is a lower bound in those cases.
/// </para>
/// </summary>
public sealed class RunStatistics
{
    /// <summary>Peak bytes of live allocator-owned tensors.</summary>
    public long PeakBytes { get; internal set; }

    /// <summary>Total bytes allocated through the allocators.</summary>
    public long AllocatedBytes { get; internal set; }

    /// <summary>Bytes still live at the end of the run (the graph outputs the kernels allocated).</summary>
    public long LiveBytesAtEnd { get; internal set; }

    /// <summary>
    /// High-water mark of the memory planner's arena during the run: the bytes of arena blocks (size-class capacity)
    /// rented at once for kernel outputs and kernel scratch. Blocks are reused after their values die, so this is the
    /// memory the run needed, not the sum of its allocations. The largest of the run's graph and subgraph arenas.
    /// </summary>
    public long ArenaPeakBytes { get; internal set; }

    /// <summary>Bytes the session's arena keeps for the next run with this frame (free blocks included).</summary>
    public long ArenaReservedBytes { get; internal set; }
}
