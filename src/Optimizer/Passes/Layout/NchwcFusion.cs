using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Fusion;

namespace OpenAutoGlm.Optimizer.Passes.Layout;

/// <summary>The walk the passes that fuse blocked-layout nodes share (merge-parallel-convs, fuse-expand-depthwise).</summary>
internal static class NchwcFusion
{
    public static bool IsNchwcConv(Node n) => n.Domain == OpSchemas.AutoGlmDomain && n.OpType == "NchwcConv";

    /// <summary>
    /// Offers every node that <paramref name="candidate"/> accepts, and that no earlier fusion removed, to
    /// <paramref name="tryFuse"/>; nothing when the graph has no NchwcConv or no provider can be asked what it claims.
    /// True when something was fused.
    /// </summary>
    public static bool Run(Model model, PassContext context, Func<Node, bool> candidate, Action<FusionGraph, Node> tryFuse)
    {
        if (context.CanRun is null || !model.Graph.Nodes.Any(IsNchwcConv))
        {
            return false;
        }

        var g = new FusionGraph(model, context);
        foreach (var node in g.Graph.Nodes.ToList())
        {
            if (candidate(node) && g.Contains(node))
            {
                tryFuse(g, node);
            }
        }

        return g.Fused > 0;
    }
}
