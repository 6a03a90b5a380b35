using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer;

/// <summary>
/// Evaluates a node whose inputs are all constants (constant folding). The Optimizer knows no backend, so the
/// Runtime supplies an implementation backed by a provider's kernels. Returns null when the node cannot be
/// evaluated (no kernel, unsupported dtype, output too large); it never throws for such cases.
/// </summary>
public interface IConstantEvaluator
{
    IReadOnlyList<Tensor>? TryEvaluate(Node node, IReadOnlyList<Tensor?> inputs, int opset);
}

/// <summary>What a pass may ask of the world outside the graph: provider capabilities and constant evaluation.</summary>
public sealed class PassContext
{
    /// <summary>A context with no provider behind it: fusions are claimed by nobody, nothing is evaluated.</summary>
    public static PassContext Empty { get; } = new();

    /// <summary>
    /// Whether some provider the session uses claims it can run this (fused) node. Extended passes only create
    /// nodes for which this returns true. Null means "no provider information": extended passes do nothing.
    /// </summary>
    public Func<Node, bool>? CanRun { get; init; }

    /// <summary>Constant folding's evaluator; null disables folding.</summary>
    public IConstantEvaluator? Evaluator { get; init; }

    /// <summary>Folded constants larger than this many bytes are not materialized.</summary>
    public long FoldingSizeCapBytes { get; init; } = 64L << 20;

    public bool Claims(Node node) => CanRun is not null && CanRun(node);

    /// <summary>Rewrites the running pass reported through <see cref="CountRewrite"/> (reset before each pass).</summary>
    public int Rewrites { get; private set; }

    /// <summary>A pass calls this once per rewrite it made, so the report can say how many.</summary>
    public void CountRewrite(int count = 1) => Rewrites += count;

    /// <summary>A copy with the same settings and its own rewrite counter (one per <see cref="PassManager.Run"/>).</summary>
    internal PassContext ForRun() => new() { CanRun = CanRun, Evaluator = Evaluator, FoldingSizeCapBytes = FoldingSizeCapBytes };

    internal void ResetRewrites() => Rewrites = 0;
}
