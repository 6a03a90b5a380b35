using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Removes Identity nodes (and Dropout in inference mode with no mask output) by renaming their consumers'
/// inputs to the Identity's input. Identities that produce a graph output are kept, so output names stay.
/// </summary>
public sealed class EliminateIdentity : IGraphPass
{
    public string Name => "eliminate-identity";

    public OptimizationLevel Level => OptimizationLevel.Basic;

    public bool Apply(Model model, PassContext context) => Apply(model.Graph, context);

    private static bool Apply(Graph graph, PassContext context)
    {
        bool changed = false;
        foreach (var node in graph.Nodes)
        {
            foreach (var sub in node.Subgraphs())
            {
                changed |= Apply(sub, context);
            }
        }

        var graphOutputs = graph.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        for (int i = graph.Nodes.Count - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            bool removable = node.Domain.Length == 0 && node.Inputs.Count >= 1 && node.HasInput(0) && node.Outputs.Count >= 1
                && (node.OpType == "Identity" || (node.OpType == "Dropout" && node.Inputs.Count == 1 && (node.Outputs.Count == 1 || node.Outputs[1].Length == 0)));
            if (!removable || graphOutputs.Contains(node.Outputs[0]) || IsReadBySubgraph(graph, node.Outputs[0]))
            {
                continue;
            }

            string from = node.Outputs[0];
            string to = node.Inputs[0];
            foreach (var consumer in graph.Nodes)
            {
                for (int k = 0; k < consumer.Inputs.Count; k++)
                {
                    if (consumer.Inputs[k] == from)
                    {
                        consumer.Inputs[k] = to;
                    }
                }
            }

            graph.Nodes.RemoveAt(i);
            graph.ValueInfos.Remove(from);
            context.CountRewrite();
            changed = true;
        }

        return changed;
    }

    private static bool IsReadBySubgraph(Graph graph, string name) =>
        graph.Nodes.Any(n => n.Subgraphs().Any(s => s.OuterScopeReferences().Contains(name)));
}
