using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// The driver every extended-level fusion shares: with no provider information (<see cref="PassContext.CanRun"/> null)
/// it does nothing; otherwise it visits each default-domain node of the main graph still present, in order, and the
/// pass matches its pattern from there and replaces it through <see cref="FusionGraph.TryReplace(IReadOnlyCollection{Node}, Node[])"/>.
/// </summary>
public abstract class FusionPass : IGraphPass
{
    public abstract string Name { get; }

    public OptimizationLevel Level => OptimizationLevel.Extended;

    public bool Apply(Model model, PassContext context)
    {
        if (context.CanRun is null)
        {
            return false;
        }

        var g = new FusionGraph(model, context);
        foreach (var node in g.Graph.Nodes.ToList())
        {
            if (node.Domain.Length == 0 && g.Contains(node))
            {
                Visit(g, node);
            }
        }

        return g.Fused > 0;
    }

    /// <summary>Tries to fuse the pattern that <paramref name="node"/> (default domain, still in the graph) anchors.</summary>
    private protected abstract void Visit(FusionGraph g, Node node);
}
