namespace OpenAutoGlm.Optimizer;

/// <summary>How far the optimizer rewrites a graph. Each level includes the ones before it.</summary>
public enum OptimizationLevel
{
    /// <summary>No rewriting at all.</summary>
    None = 0,

    /// <summary>Semantics-preserving, provider-independent passes run before partitioning.</summary>
    Basic = 1,

    /// <summary>Fusions into ops a provider claims it can run fused (after partitioning).</summary>
    Extended = 2,

    /// <summary>Memory-layout changes.</summary>
    Layout = 3,

    All = Layout,
}
