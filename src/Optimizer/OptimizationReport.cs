namespace OpenAutoGlm.Optimizer;

/// <summary>A pass that changed the graph and how many rewrites it made (0 when it did not count them).</summary>
public sealed record PassRecord(string Name, int Rewrites, TimeSpan Elapsed);

/// <summary>A pass that threw; its changes were discarded. <see cref="Node"/> names the node when known.</summary>
public sealed record PassError(string Pass, string? Node, string Message)
{
    public override string ToString() => $"{Pass}{(Node is null ? string.Empty : $" at {Node}")}: {Message}";
}

/// <summary>Which passes fired, which failed, and how the graph changed (node counts, op histograms).</summary>
public sealed class OptimizationReport
{
    public OptimizationLevel Level { get; init; }

    public List<PassRecord> Passes { get; } = [];

    /// <summary>Names of the passes that changed the graph, in order.</summary>
    public IReadOnlyList<string> PassesApplied => Passes.Select(p => p.Name).ToList();

    public List<PassError> PassErrors { get; } = [];

    public int NodesBefore { get; set; }

    public int NodesAfter { get; set; }

    /// <summary>Nodes per op (subgraphs included) before the first pass.</summary>
    public SortedDictionary<string, int> OpsBefore { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Nodes per op after the last pass.</summary>
    public SortedDictionary<string, int> OpsAfter { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where the before/after graph dumps went (AUTOGLM_DEBUG), or null.</summary>
    public string? DumpDirectory { get; set; }
}
