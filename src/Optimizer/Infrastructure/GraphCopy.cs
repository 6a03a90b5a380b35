using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer;

/// <summary>
/// Structural deep copies of graphs: nodes, attributes, value infos and subgraphs are copied; tensors are
/// shared, because passes never mutate a tensor in place (they create new initializers instead).
/// </summary>
public static class GraphCopy
{
    public static Graph Clone(Graph source)
    {
        var copy = new Graph(source.Name) { DocString = source.DocString, Parent = source.Parent };
        CopyInto(source, copy);
        return copy;
    }

    /// <summary>Replaces everything in <paramref name="target"/> (keeping its identity) by a deep copy of <paramref name="source"/>.</summary>
    public static void CopyInto(Graph source, Graph target)
    {
        target.Name = source.Name;
        target.DocString = source.DocString;
        target.Nodes.Clear();
        target.Inputs.Clear();
        target.Outputs.Clear();
        target.ValueInfos.Clear();
        target.Initializers.Clear();
        target.SparseInitializers.Clear();
        target.Inputs.AddRange(source.Inputs.Select(CloneValue));
        target.Outputs.AddRange(source.Outputs.Select(CloneValue));
        foreach (var (k, v) in source.ValueInfos)
        {
            target.ValueInfos[k] = CloneValue(v);
        }

        foreach (var (k, v) in source.Initializers)
        {
            target.Initializers[k] = v;
        }

        foreach (var (k, v) in source.SparseInitializers)
        {
            target.SparseInitializers[k] = v;
        }

        foreach (var node in source.Nodes)
        {
            target.Nodes.Add(CloneNode(node, target));
        }
    }

    public static Node CloneNode(Node node, Graph? owner = null)
    {
        var copy = new Node(node.OpType, node.Inputs, node.Outputs, node.Name, node.Domain)
        {
            DocString = node.DocString,
            ExecutionProvider = node.ExecutionProvider,
        };
        foreach (var a in node.Attributes)
        {
            copy.Attributes.Set(CloneAttribute(a, owner));
        }

        return copy;
    }

    private static NodeAttribute CloneAttribute(NodeAttribute a, Graph? owner)
    {
        object value = a.Value switch
        {
            Graph g => CloneSubgraph(g, owner),
            Graph[] gs => gs.Select(g => CloneSubgraph(g, owner)).ToArray(),
            long[] l => l.Clone(),
            float[] f => f.Clone(),
            string[] s => s.Clone(),
            _ => a.Value,
        };
        return new NodeAttribute(a.Name, a.Kind, value, a.RefAttributeName) { DocString = a.DocString };
    }

    private static Graph CloneSubgraph(Graph g, Graph? owner)
    {
        var copy = Clone(g);
        copy.Parent = owner ?? g.Parent;
        copy.LinkSubgraphs();
        return copy;
    }

    private static ValueInfo CloneValue(ValueInfo v) => new(v.Name, v.Type) { DocString = v.DocString };
}
