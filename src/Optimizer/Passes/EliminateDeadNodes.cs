using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>Removes nodes none of whose outputs reach a graph output, and initializers nobody reads.</summary>
public sealed class EliminateDeadNodes : IGraphPass
{
    public string Name => "eliminate-dead-nodes";

    public OptimizationLevel Level => OptimizationLevel.Basic;

    public bool Apply(Model model, PassContext context)
    {
        var graph = model.Graph;
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
        int removedInit = 0;
        foreach (var name in graph.Initializers.Keys.ToList())
        {
            if (!live.Contains(name) && !inputs.Contains(name))
            {
                graph.Initializers.Remove(name);
                removedInit++;
            }
        }

        return kept.Count != before || removedInit > 0;
    }
}
