using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// What the fusion passes need to read and rewrite a model's main graph: producers, consumers, constants, inferred
/// shapes, and <see cref="TryReplace"/>, which swaps a matched node group for a fused node only when a provider of the
/// session claims the fused node (<see cref="PassContext.Claims"/>). Subgraphs are not searched.
/// </summary>
internal sealed class FusionGraph
{
    private readonly Dictionary<string, Node> _producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Node>> _consumers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pinned = new(StringComparer.Ordinal);
    private readonly HashSet<Node> _removed = new(ReferenceEqualityComparer.Instance);
    private readonly PassContext _context;
    private int _nameCounter;

    public FusionGraph(Model model, PassContext context)
    {
        Model = model;
        Graph = model.Graph;
        _context = context;
        foreach (var o in Graph.Outputs)
        {
            _pinned.Add(o.Name);
        }

        foreach (var node in Graph.Nodes)
        {
            Index(node);
            foreach (var sub in node.Subgraphs())
            {
                _pinned.UnionWith(sub.OuterScopeReferences());
            }
        }
    }

    public Model Model { get; }

    public Graph Graph { get; }

    /// <summary>Whether <paramref name="node"/> is still in the graph (not removed by a fusion), in O(1).</summary>
    public bool Contains(Node node) => !_removed.Contains(node);

    /// <summary>How many node groups were fused so far.</summary>
    public int Fused { get; private set; }

    public Node? Producer(string value) => value.Length > 0 && _producer.TryGetValue(value, out var n) ? n : null;

    /// <summary>The producer when it is the default-domain op <paramref name="opType"/>.</summary>
    public Node? Producer(string value, string opType) => Producer(value) is { Domain: "" } n && n.OpType == opType ? n : null;

    public IReadOnlyList<Node> Consumers(string value) => _consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>A graph output or a value read by a subgraph: it must keep existing under its name.</summary>
    public bool IsPinned(string value) => _pinned.Contains(value);

    /// <summary>True when <paramref name="value"/> is read by exactly <paramref name="consumer"/> (once) and nothing else.</summary>
    public bool OnlyFeeds(string value, Node consumer)
    {
        var list = Consumers(value);
        return !IsPinned(value) && list.Count == 1 && ReferenceEquals(list[0], consumer) && consumer.Inputs.Count(i => i == value) == 1;
    }

    /// <summary>The single consumer of <paramref name="value"/> when it is op <paramref name="opType"/> and nothing else reads it.</summary>
    public Node? SoleConsumer(string value, string opType)
    {
        var list = Consumers(value);
        return list.Count == 1 && list[0].Domain.Length == 0 && list[0].OpType == opType && OnlyFeeds(value, list[0]) ? list[0] : null;
    }

    /// <summary>A constant value: an initializer that is not an overridable graph input, or a Constant node's tensor.</summary>
    public Tensor? Constant(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (Graph.Initializers.TryGetValue(value, out var t))
        {
            return Graph.Inputs.Any(i => i.Name == value) ? null : t;
        }

        if (Producer(value, "Constant") is { } c)
        {
            if (c.Attributes.GetTensor("value") is { } v)
            {
                return v;
            }

            if (c.Attributes.TryGet("value_float", out _))
            {
                return Tensor.Scalar(c.Attributes.GetFloat("value_float"));
            }

            if (c.Attributes.GetFloats("value_floats") is { } fs)
            {
                return Tensor.Create(fs, fs.Length);
            }
        }

        return null;
    }

    /// <summary>A constant holding one floating-point number (any rank).</summary>
    public bool TryScalar(string value, out double scalar)
    {
        scalar = 0;
        if (Constant(value) is not { Length: 1 } t || t.DataType is not (DataType.Float32 or DataType.Float64 or DataType.Float16))
        {
            return false;
        }

        scalar = t.ToDoubleArray()[0];
        return true;
    }

    /// <summary>A constant scalar equal to <paramref name="expected"/> within a relative 1e-3 (exporters round constants).</summary>
    public bool IsScalar(string value, double expected) =>
        TryScalar(value, out double v) && Math.Abs(v - expected) <= 1e-3 * Math.Max(1, Math.Abs(expected));

    /// <summary>The other input of a two-input node, given one of them; null when <paramref name="known"/> is not an input.</summary>
    public static string? Other(Node node, string known) =>
        node.Inputs.Count != 2 ? null : node.Inputs[0] == known ? node.Inputs[1] : node.Inputs[1] == known ? node.Inputs[0] : null;

    public Shape? ShapeOf(string value) =>
        (Graph.TypeOf(value) as TensorTypeInfo)?.Shape ?? (Constant(value) is { } c ? Shape.FromKnown(c.Dims) : null);

    /// <summary>Both shapes inferred and provably equal: every dimension known or named by the same symbol.</summary>
    public static bool SameShape(Shape? a, Shape? b) =>
        a is not null && b is not null && a.Equals(b) && a.All(d => d.IsKnown || d.Symbol is not null);

    public DataType ElementTypeOf(string value) => (Graph.TypeOf(value) as TensorTypeInfo)?.ElementType ?? Constant(value)?.DataType ?? DataType.Undefined;

    /// <summary>A fresh value or node name starting with <paramref name="stem"/>.</summary>
    public string UniqueName(string stem)
    {
        var names = Graph.DefinedNames();
        string name;
        do
        {
            name = $"{stem}_fused{_nameCounter++}";
        }
        while (names.Contains(name) || Graph.Nodes.Any(n => n.Name == name));

        return name;
    }

    /// <summary>Adds a float32 initializer under a fresh name and returns the name.</summary>
    public string AddInitializer(string stem, Tensor value)
    {
        string name = UniqueName(stem);
        Graph.Initializers[name] = value;
        return name;
    }

    /// <summary>
    /// Replaces a matched group by <paramref name="added"/> (the last is the fused node, which takes over output names
    /// of the group) when a provider claims the added nodes; otherwise leaves the graph unchanged and returns false.
    /// The nodes of <paramref name="remove"/> whose outputs the fused node takes over are removed; the rest of the
    /// group, and whatever only fed it, is removed once nothing reads it (a group value with an outside reader keeps
    /// its producers). The model imports ai.autoglm opset 1 when an added node is in that domain.
    /// </summary>
    public bool TryReplace(IReadOnlyCollection<Node> remove, params Node[] added) => TryReplace(remove, [], added);

    /// <summary>
    /// <see cref="TryReplace(IReadOnlyCollection{Node}, Node[])"/> that also, once the replacement is claimed, points
    /// input <c>Input</c> of each outside node of <paramref name="rewire"/> at an equivalent value (for readers of group
    /// values that only need what the fused node's inputs also provide, such as their leading dims).
    /// </summary>
    public bool TryReplace(IReadOnlyCollection<Node> remove, IReadOnlyList<(Node Node, int Input, string Value)> rewire, params Node[] added)
    {
        var produced = added.SelectMany(n => n.Outputs).Where(o => o.Length > 0).ToHashSet(StringComparer.Ordinal);
        var direct = remove.Where(n => n.Outputs.Any(produced.Contains)).ToList();
        var group = remove.ToHashSet();
        foreach (var n in direct)
        {
            if (n.Outputs.Any(o => o.Length > 0 && !produced.Contains(o) && (IsPinned(o) || Consumers(o).Any(c => !group.Contains(c)))))
            {
                return false;
            }
        }

        bool importAdded = false;
        if (added.Any(n => n.Domain == OpSchemas.AutoGlmDomain) && !Model.OpsetImports.ContainsKey(OpSchemas.AutoGlmDomain))
        {
            Model.OpsetImports[OpSchemas.AutoGlmDomain] = 1;
            importAdded = true;
        }

        if (!added.All(_context.Claims))
        {
            if (importAdded)
            {
                Model.OpsetImports.Remove(OpSchemas.AutoGlmDomain);
            }

            return false;
        }

        var maybeDead = new List<string>();
        foreach (var (node, input, value) in rewire)
        {
            Unindex(node);
            maybeDead.Add(node.Inputs[input]);
            node.Inputs[input] = value;
            Index(node);
        }

        int at = remove.Max(n => Graph.Nodes.IndexOf(n));
        Graph.Nodes.InsertRange(at + 1, added);
        foreach (var n in direct)
        {
            Unindex(n);
            Graph.Nodes.Remove(n);
            _removed.Add(n);
            maybeDead.AddRange(n.Inputs.Where(i => i.Length > 0));
            foreach (var o in n.Outputs.Where(o => !produced.Contains(o)))
            {
                Graph.ValueInfos.Remove(o);
            }
        }

        foreach (var n in added)
        {
            Index(n);
        }

        RemoveUnused(maybeDead);
        Fused++;
        _context.CountRewrite();
        return true;
    }

    /// <summary>Removes producers of the given values that nothing reads any more, transitively.</summary>
    private void RemoveUnused(List<string> values)
    {
        var stack = new Stack<string>(values);
        while (stack.TryPop(out var v))
        {
            if (Producer(v) is null && Consumers(v).Count == 0 && !IsPinned(v) && Graph.Initializers.ContainsKey(v) && !Graph.Inputs.Any(i => i.Name == v))
            {
                Graph.Initializers.Remove(v);
                continue;
            }

            if (Producer(v) is not { } p || IsPinned(v) || p.Outputs.Any(o => o.Length > 0 && (Consumers(o).Count > 0 || IsPinned(o))))
            {
                continue;
            }

            Unindex(p);
            Graph.Nodes.Remove(p);
            _removed.Add(p);
            foreach (var o in p.Outputs)
            {
                Graph.ValueInfos.Remove(o);
            }

            foreach (var i in p.Inputs.Where(i => i.Length > 0))
            {
                stack.Push(i);
            }
        }
    }

    private void Index(Node node)
    {
        foreach (var o in node.Outputs.Where(o => o.Length > 0))
        {
            _producer[o] = node;
        }

        foreach (var i in node.Inputs.Where(i => i.Length > 0).Distinct())
        {
            if (!_consumers.TryGetValue(i, out var list))
            {
                _consumers[i] = list = [];
            }

            list.Add(node);
        }
    }

    private void Unindex(Node node)
    {
        foreach (var o in node.Outputs.Where(o => o.Length > 0))
        {
            if (_producer.TryGetValue(o, out var p) && ReferenceEquals(p, node))
            {
                _producer.Remove(o);
            }
        }

        foreach (var i in node.Inputs.Where(i => i.Length > 0).Distinct())
        {
            _consumers[i].Remove(node);
        }
    }
}
