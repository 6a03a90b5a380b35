namespace OpenAutoGlm.Core;

/// <summary>
/// A dataflow graph: nodes over named values. Graph inputs, initializers (constant tensors) and node
/// outputs define values; a subgraph (If/Loop/Scan body) may also read values of enclosing graphs
/// (outer-scope references), resolved through <see cref="Parent"/>.
/// </summary>
public sealed class Graph
{
    public Graph(string name = "")
    {
        Name = name;
    }

    public string Name { get; set; }

    public string DocString { get; set; } = string.Empty;

    public List<Node> Nodes { get; } = [];

    public List<ValueInfo> Inputs { get; } = [];

    public List<ValueInfo> Outputs { get; } = [];

    /// <summary>Type annotations for intermediate values (from the file, or filled by shape inference).</summary>
    public Dictionary<string, ValueInfo> ValueInfos { get; } = new(StringComparer.Ordinal);

    /// <summary>Constant tensors by name, in file order.</summary>
    public Dictionary<string, Tensor> Initializers { get; } = new(StringComparer.Ordinal);

    /// <summary>Sparse constant tensors by name (kept sparse for round-trip).</summary>
    public Dictionary<string, SparseTensor> SparseInitializers { get; } = new(StringComparer.Ordinal);

    /// <summary>The enclosing graph for subgraphs; null for a model's main graph.</summary>
    public Graph? Parent { get; set; }

    /// <summary>The type of a value known in this graph (inputs, outputs, annotations, initializers), or null.</summary>
    public TypeInfo? TypeOf(string name)
    {
        foreach (var v in Inputs)
        {
            if (v.Name == name && v.Type is not null)
            {
                return v.Type;
            }
        }

        if (ValueInfos.TryGetValue(name, out var vi) && vi.Type is not null)
        {
            return vi.Type;
        }

        foreach (var v in Outputs)
        {
            if (v.Name == name && v.Type is not null)
            {
                return v.Type;
            }
        }

        if (Initializers.TryGetValue(name, out var t))
        {
            return t.Type;
        }

        return null;
    }

    /// <summary>Names defined in this graph itself (not outer scopes).</summary>
    public HashSet<string> DefinedNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in Inputs)
        {
            names.Add(v.Name);
        }

        foreach (var k in Initializers.Keys)
        {
            names.Add(k);
        }

        foreach (var k in SparseInitializers.Keys)
        {
            names.Add(k);
        }

        foreach (var n in Nodes)
        {
            foreach (var o in n.Outputs)
            {
                if (o.Length > 0)
                {
                    names.Add(o);
                }
            }
        }

        return names;
    }

    /// <summary>Values this graph reads from enclosing scopes (used by its nodes or nested subgraphs but not defined here).</summary>
    public IReadOnlyList<string> OuterScopeReferences()
    {
        var defined = DefinedNames();
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in Nodes)
        {
            foreach (var i in n.Inputs)
            {
                if (i.Length > 0 && !defined.Contains(i) && seen.Add(i))
                {
                    result.Add(i);
                }
            }

            foreach (var sub in n.Subgraphs())
            {
                foreach (var r in sub.OuterScopeReferences())
                {
                    if (!defined.Contains(r) && seen.Add(r))
                    {
                        result.Add(r);
                    }
                }
            }
        }

        foreach (var o in Outputs)
        {
            if (!defined.Contains(o.Name) && seen.Add(o.Name))
            {
                result.Add(o.Name);
            }
        }

        return result;
    }

    /// <summary>Sets <see cref="Parent"/> of every nested subgraph, recursively.</summary>
    public void LinkSubgraphs()
    {
        foreach (var n in Nodes)
        {
            foreach (var sub in n.Subgraphs())
            {
                sub.Parent = this;
                sub.LinkSubgraphs();
            }
        }
    }

    /// <summary>Total number of nodes including nested subgraphs.</summary>
    public int CountNodesRecursive() => Nodes.Sum(n => 1 + n.Subgraphs().Sum(g => g.CountNodesRecursive()));
}
