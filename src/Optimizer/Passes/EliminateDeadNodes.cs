using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Removes nodes none of whose outputs reach a graph output, initializers nobody reads and type annotations of
/// values that no longer exist, in the main graph and every subgraph (a subgraph's outputs are its roots).
/// </summary>
public sealed class EliminateDeadNodes : IGraphPass
{
    public string Name => "eliminate-dead-nodes";

    public OptimizationLevel Level => OptimizationLevel.Basic;

    public bool Apply(Model model, PassContext context) => Apply(model.Graph, context);

    private static bool Apply(Graph graph, PassContext context)
    {
        var live = graph.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var keep = new bool[graph.Nodes.Count];
        for (int i = graph.Nodes.Count - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            if (node.Outputs.Any(live.Contains))
            {
                keep[i] = true;
                foreach (var r in GraphOrder.NodeReads(node))
                {
                    live.Add(r);
                }
            }
        }

        int before = graph.Nodes.Count;
        var kept = graph.Nodes.Where((_, i) => keep[i]).ToList();
        graph.Nodes.Clear();
        graph.Nodes.AddRange(kept);

        var inputs = graph.Inputs.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        int removed = before - kept.Count;
        foreach (var name in graph.Initializers.Keys.ToList())
        {
            if (!live.Contains(name) && !inputs.Contains(name))
            {
                graph.Initializers.Remove(name);
                removed++;
            }
        }

        var defined = graph.DefinedNames();
        foreach (var name in graph.ValueInfos.Keys.ToList())
        {
            if (!defined.Contains(name))
            {
                graph.ValueInfos.Remove(name);
            }
        }

        context.CountRewrite(removed);
        bool changed = removed > 0;
        foreach (var node in kept)
        {
            foreach (var sub in node.Subgraphs())
            {
                changed |= Apply(sub, context);
            }
        }

        return changed;
    }
}
