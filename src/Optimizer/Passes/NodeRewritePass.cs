using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// A rewrite rule applied at every node of the main graph and then of every subgraph, in topological order.
/// <see cref="TryRewrite"/> looks at one node (usually the last of a pattern), rewrites through the
/// <see cref="GraphEditor"/> and says whether it did. An exception escapes as an
/// <see cref="OptimizationException"/> naming the pass and node; the pass manager then restores the graph.
/// </summary>
public abstract class NodeRewritePass : IGraphPass
{
    public abstract string Name { get; }

    public virtual OptimizationLevel Level => OptimizationLevel.Basic;

    public bool Apply(Model model, PassContext context)
    {
        model.Graph.LinkSubgraphs();
        var names = GraphEditor.CollectNames(model);
        return ApplyGraph(model, model.Graph, context, names);
    }

    /// <summary>Rewrites around <paramref name="node"/>; returns whether anything changed.</summary>
    protected abstract bool TryRewrite(GraphEditor editor, Node node);

    /// <summary>Ops whose results differ between runs: never folded, merged or moved.</summary>
    protected static bool IsNondeterministic(Node node) =>
        node.OpType.StartsWith("Random", StringComparison.Ordinal)
        || node.OpType is "Multinomial" or "Bernoulli"
        || (node.OpType == "Dropout" && node.HasInput(2));

    private bool ApplyGraph(Model model, Graph graph, PassContext context, HashSet<string> names)
    {
        var editor = new GraphEditor(model, graph, context, names);
        bool changed = false;
        foreach (var node in graph.Nodes.ToList())
        {
            if (editor.IsRemoved(node))
            {
                continue;
            }

            try
            {
                if (TryRewrite(editor, node))
                {
                    changed = true;
                    context.CountRewrite();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not OptimizationException)
            {
                throw new OptimizationException(Name, node.Describe(), ex.Message, ex);
            }
        }

        foreach (var node in graph.Nodes.ToList())
        {
            foreach (var sub in node.Subgraphs())
            {
                sub.Parent = graph;
                changed |= ApplyGraph(model, sub, context, names);
            }
        }

        return changed;
    }
}
