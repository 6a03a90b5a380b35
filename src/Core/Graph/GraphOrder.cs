namespace OpenAutoGlm.Core;

/// <summary>Topological ordering and structural validation of graphs (recursing into subgraphs).</summary>
public static class GraphOrder
{
    /// <summary>
    /// Returns the nodes in an order where every node comes after the producers of its inputs (stable:
    /// file order is kept where the data allows). Values from graph inputs, initializers and the given
    /// outer scope are available from the start. Throws <see cref="GraphValidationException"/> naming the
    /// node and input when a value is never produced, or the nodes on a cycle.
    /// </summary>
    public static List<Node> TopologicalSort(Graph graph, IReadOnlySet<string>? outerScope = null)
    {
        var available = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in graph.Inputs)
        {
            available.Add(v.Name);
        }

        foreach (var k in graph.Initializers.Keys)
        {
            available.Add(k);
        }

        foreach (var k in graph.SparseInitializers.Keys)
        {
            available.Add(k);
        }

        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            foreach (var o in graph.Nodes[i].Outputs)
            {
                if (o.Length == 0)
                {
                    continue;
                }

                if (!producer.TryAdd(o, i))
                {
                    var first = graph.Nodes[producer[o]];
                    throw new GraphValidationException($"value '{o}' is produced by both {first.Describe()} and {graph.Nodes[i].Describe()}");
                }
            }
        }

        int n = graph.Nodes.Count;
        var pending = new int[n];
        var consumers = new List<int>[n];
        for (int i = 0; i < n; i++)
        {
            consumers[i] = [];
        }

        for (int i = 0; i < n; i++)
        {
            var deps = new HashSet<int>();
            foreach (var input in NodeReads(graph.Nodes[i]))
            {
                if (available.Contains(input))
                {
                    continue;
                }

                if (producer.TryGetValue(input, out int p))
                {
                    if (p != i && deps.Add(p))
                    {
                        consumers[p].Add(i);
                    }
                    else if (p == i)
                    {
                        throw new GraphValidationException($"{graph.Nodes[i].Describe()} consumes its own output '{input}'");
                    }
                }
                else if (outerScope is null || !outerScope.Contains(input))
                {
                    throw new GraphValidationException($"{graph.Nodes[i].Describe()} reads '{input}', which no node, graph input or initializer defines");
                }
            }

            pending[i] = deps.Count;
        }

        // Kahn's algorithm with a min-heap on file position keeps the original order where possible.
        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < n; i++)
        {
            if (pending[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new List<Node>(n);
        while (ready.TryDequeue(out int i, out _))
        {
            order.Add(graph.Nodes[i]);
            foreach (int c in consumers[i])
            {
                if (--pending[c] == 0)
                {
                    ready.Enqueue(c, c);
                }
            }
        }

        if (order.Count != n)
        {
            var stuck = Enumerable.Range(0, n).Where(i => pending[i] > 0).Select(i => graph.Nodes[i].Describe()).Take(5);
            throw new GraphValidationException($"graph '{graph.Name}' has a cycle through {string.Join(", ", stuck)}");
        }

        return order;
    }

    /// <summary>The value names a node reads: its inputs plus outer-scope references of its subgraphs.</summary>
    public static IEnumerable<string> NodeReads(Node node)
    {
        foreach (var i in node.Inputs)
        {
            if (i.Length > 0)
            {
                yield return i;
            }
        }

        foreach (var sub in node.Subgraphs())
        {
            foreach (var r in sub.OuterScopeReferences())
            {
                yield return r;
            }
        }
    }

    /// <summary>
    /// Checks the graph and all its subgraphs: graph outputs defined, values defined before use, no cycle,
    /// no duplicate producers, and sorts <see cref="Graph.Nodes"/> topologically in place.
    /// </summary>
    public static void ValidateAndSort(Graph graph, IReadOnlySet<string>? outerScope = null)
    {
        var sorted = TopologicalSort(graph, outerScope);
        graph.Nodes.Clear();
        graph.Nodes.AddRange(sorted);

        var defined = graph.DefinedNames();
        foreach (var o in graph.Outputs)
        {
            if (!defined.Contains(o.Name) && (outerScope is null || !outerScope.Contains(o.Name)))
            {
                throw new GraphValidationException($"graph '{graph.Name}' output '{o.Name}' is never produced");
            }
        }

        var scope = new HashSet<string>(outerScope ?? (IEnumerable<string>)[], StringComparer.Ordinal);
        scope.UnionWith(defined);
        foreach (var node in graph.Nodes)
        {
            foreach (var sub in node.Subgraphs())
            {
                sub.Parent = graph;
                ValidateAndSort(sub, scope);
            }
        }
    }
}
