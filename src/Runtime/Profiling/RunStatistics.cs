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
}
