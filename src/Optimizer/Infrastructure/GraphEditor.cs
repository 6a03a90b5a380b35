using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer;

/// <summary>
/// What a rewrite rule needs of one graph: who produces and who reads a value, which values are constants
/// (initializers that are not overridable graph inputs, here or in an enclosing graph), static types, and the
/// edits (remove a node, redirect a value's readers, add an initializer under a fresh name). Readers include
/// nodes whose subgraphs read the value from the outer scope. Graph output names never change.
/// </summary>
public sealed class GraphEditor
{
    private readonly HashSet<Node> _removed = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _usedNames;
    private Dictionary<string, Node>? _producers;
    private Dictionary<string, List<Node>>? _consumers;

    public GraphEditor(Model model, Graph graph, PassContext context, HashSet<string> usedNames)
    {
        Model = model;
        Graph = graph;
        Context = context;
        _usedNames = usedNames;
    }

    public Model Model { get; }

    public Graph Graph { get; }

    public PassContext Context { get; }

    /// <summary>Every value name used anywhere in <paramref name="model"/> (so fresh names stay unique in all scopes).</summary>
    public static HashSet<string> CollectNames(Model model)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(model.Graph);
        return names;

        void Collect(Graph g)
        {
            names.UnionWith(g.DefinedNames());
            names.UnionWith(g.Outputs.Select(o => o.Name));
            foreach (var n in g.Nodes)
            {
                names.UnionWith(n.Inputs);
                foreach (var sub in n.Subgraphs())
                {
                    Collect(sub);
                }
            }
        }
    }

    public long Opset(Node node) => Model.OpsetFor(node.Domain);

    /// <summary>
    /// Whether a node a pass is about to create can run: some provider claims it, or there is no provider
    /// information (<see cref="PassContext.CanRun"/> is null) and the node is a standard op.
    /// </summary>
    public bool CanRun(Node node) => Context.CanRun is null ? node.Domain.Length == 0 : Context.CanRun(node);

    public bool IsRemoved(Node node) => _removed.Contains(node);

    public Node? Producer(string name)
    {
        EnsureIndex();
        return _producers!.GetValueOrDefault(name);
    }

    /// <summary>Nodes of this graph reading <paramref name="name"/> as an input or from a subgraph.</summary>
    public IReadOnlyList<Node> Consumers(string name)
    {
        EnsureIndex();
        return _consumers!.TryGetValue(name, out var list) ? list : [];
    }

    public bool IsGraphOutput(string name) => Graph.Outputs.Any(o => o.Name == name);

    /// <summary>Whether <paramref name="name"/> feeds exactly one node (one input slot) and nothing else.</summary>
    public bool HasSingleUse(string name) =>
        !IsGraphOutput(name) && Consumers(name) is [var only] && only.Inputs.Count(i => i == name) == 1 && !only.Subgraphs().Any(s => s.OuterScopeReferences().Contains(name));

    /// <summary>The constant value of <paramref name="name"/>: an initializer here or in an enclosing graph that is not a graph input.</summary>
    public Tensor? Constant(string name)
    {
        if (name.Length == 0)
        {
            return null;
        }

        for (var g = Graph; g is not null; g = g.Parent)
        {
            if (g.Initializers.TryGetValue(name, out var t))
            {
                return g.Inputs.Any(v => v.Name == name) ? null : t;
            }

            if (g.Inputs.Any(v => v.Name == name) || (g == Graph ? Producer(name) is not null : g.Nodes.Any(n => n.Outputs.Contains(name))))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The static type of a value here or in an enclosing graph, or null.</summary>
    public TensorTypeInfo? TypeOf(string name)
    {
        for (var g = Graph; g is not null; g = g.Parent)
        {
            if (g.TypeOf(name) is { } t)
            {
                return t as TensorTypeInfo;
            }
        }

        return null;
    }

    /// <summary>The static rank of a value, or null.</summary>
    public int? RankOf(string name) => Constant(name)?.Rank ?? TypeOf(name)?.Shape?.Rank;

    public DataType ElementTypeOf(string name) => Constant(name)?.DataType ?? TypeOf(name)?.ElementType ?? DataType.Undefined;

    public string FreshName(string hint)
    {
        string name = hint;
        for (int i = 1; !_usedNames.Add(name); i++)
        {
            name = $"{hint}_{i}";
        }

        return name;
    }

    /// <summary>Adds a constant under a fresh name derived from <paramref name="hint"/> and returns that name.</summary>
    public string AddInitializer(string hint, Tensor value)
    {
        string name = FreshName(hint);
        Graph.Initializers[name] = value;
        return name;
    }

    public void RemoveNode(Node node)
    {
        Graph.Nodes.Remove(node);
        _removed.Add(node);
        Invalidate();
    }

    /// <summary>Inserts <paramref name="node"/> just before <paramref name="anchor"/> (keeps the order topological).</summary>
    public void InsertBefore(Node anchor, Node node)
    {
        int at = Graph.Nodes.IndexOf(anchor);
        Graph.Nodes.Insert(at < 0 ? Graph.Nodes.Count : at, node);
        foreach (var o in node.Outputs)
        {
            _usedNames.Add(o);
        }

        Invalidate();
    }

    /// <summary>Call after changing a node's inputs or outputs directly.</summary>
    public void Invalidate()
    {
        _producers = null;
        _consumers = null;
    }

    /// <summary>
    /// Makes every reader of <paramref name="from"/> read <paramref name="to"/> instead (the two carry the same
    /// value). When <paramref name="from"/> is a graph output, its name must stay: the producer of
    /// <paramref name="to"/> is renamed to produce <paramref name="from"/> when that is safe (produced by a node of
    /// this graph, not itself a graph output); otherwise nothing changes and false is returned.
    /// </summary>
    public bool Redirect(string from, string to)
    {
        if (from == to)
        {
            return true;
        }

        if (!IsGraphOutput(from))
        {
            RenameReads(Graph, from, to);
            Graph.ValueInfos.Remove(from);
            Invalidate();
            return true;
        }

        if (IsGraphOutput(to) || Producer(to) is not { } producer || Graph.Inputs.Any(v => v.Name == to))
        {
            return false;
        }

        // 'from' is about to be dropped by the caller (its producer is removed): 'to' takes its name.
        RenameReads(Graph, to, from);
        for (int k = 0; k < producer.Outputs.Count; k++)
        {
            if (producer.Outputs[k] == to)
            {
                producer.Outputs[k] = from;
            }
        }

        if (Graph.ValueInfos.Remove(to, out var vi) && !Graph.ValueInfos.ContainsKey(from))
        {
            Graph.ValueInfos[from] = new ValueInfo(from, vi.Type);
        }

        Invalidate();
        return true;
    }

    /// <summary>
    /// Removes <paramref name="node"/>, whose only used output carries the same value as <paramref name="replacement"/>.
    /// Returns false (and changes nothing) when the output's name could not be kept.
    /// </summary>
    public bool Bypass(Node node, string replacement)
    {
        string output = node.Outputs[0];
        if (node.Outputs.Skip(1).Any(o => o.Length > 0 && (IsGraphOutput(o) || Consumers(o).Count > 0)))
        {
            return false;
        }

        if (IsGraphOutput(output) && (IsGraphOutput(replacement) || Producer(replacement) is null || Producer(replacement) == node))
        {
            return false;
        }

        RemoveNode(node);
        if (!Redirect(output, replacement))
        {
            throw new InvalidOperationException($"cannot keep graph output '{output}' while bypassing {node.Describe()}");
        }

        return true;
    }

    private static void RenameReads(Graph graph, string from, string to)
    {
        foreach (var node in graph.Nodes)
        {
            for (int k = 0; k < node.Inputs.Count; k++)
            {
                if (node.Inputs[k] == from)
                {
                    node.Inputs[k] = to;
                }
            }

            foreach (var sub in node.Subgraphs())
            {
                if (!sub.DefinedNames().Contains(from))
                {
                    RenameReads(sub, from, to);
                    for (int k = 0; k < sub.Outputs.Count; k++)
                    {
                        if (sub.Outputs[k].Name == from)
                        {
                            sub.Outputs[k] = new ValueInfo(to, sub.Outputs[k].Type);
                        }
                    }
                }
            }
        }
    }

    private void EnsureIndex()
    {
        if (_producers is not null)
        {
            return;
        }

        _producers = new Dictionary<string, Node>(StringComparer.Ordinal);
        _consumers = new Dictionary<string, List<Node>>(StringComparer.Ordinal);
        foreach (var node in Graph.Nodes)
        {
            foreach (var o in node.Outputs)
            {
                if (o.Length > 0)
                {
                    _producers[o] = node;
                }
            }

            foreach (var r in GraphOrder.NodeReads(node).Distinct(StringComparer.Ordinal))
            {
                if (!_consumers.TryGetValue(r, out var list))
                {
                    _consumers[r] = list = [];
                }

                list.Add(node);
            }
        }
    }
}
