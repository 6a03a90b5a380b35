using System.Text;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Cli.Inspect;

/// <summary>
/// Builds an <see cref="InspectReport"/>: validates and sorts the graph, runs shape inference (with constant
/// folding on <paramref name="provider"/>), then asks the provider about every node, subgraphs included.
/// The model is annotated in place (Graph.ValueInfos).
/// </summary>
internal static class ModelInspector
{
    public static InspectReport Inspect(Model model, string source, IExecutionProvider provider)
    {
        var graph = model.Graph;
        GraphOrder.ValidateAndSort(graph);
        var shapes = ShapeInferencer.Run(model, new ShapeInferenceOptions { ConstantEvaluator = ConstantFolding.CreateEvaluator([provider]) });

        var ops = new Dictionary<string, int>(StringComparer.Ordinal);
        var unsupported = new Dictionary<(string Op, string Domain, long Opset, string Reason), List<string>>();
        var values = new List<IntermediateValueReport>();
        long paramCount = 0;
        long paramBytes = 0;
        int initializers = 0;
        int nodeCount = 0;

        foreach (var (g, isMain) in AllGraphs(graph, true))
        {
            foreach (var t in g.Initializers.Values)
            {
                initializers++;
                paramCount += t.Length;
                paramBytes += t is StringTensor s ? s.Data.Sum(x => (long)Encoding.UTF8.GetByteCount(x)) : (long)t.Length * t.DataType.SizeOf();
            }

            foreach (var sparse in g.SparseInitializers.Values)
            {
                initializers++;
                paramCount += sparse.Values.Length;
                paramBytes += ((long)sparse.Values.Length * sparse.Values.DataType.SizeOf()) + ((long)sparse.Indices.Length * sparse.Indices.DataType.SizeOf());
            }

            foreach (var node in g.Nodes)
            {
                nodeCount++;
                string key = node.Domain.Length == 0 ? node.OpType : $"{node.Domain}.{node.OpType}";
                ops[key] = ops.GetValueOrDefault(key) + 1;

                long opset = model.OpsetFor(node.Domain);
                var query = new NodeQuery(
                    node,
                    opset,
                    node.Inputs.Select(i => i.Length == 0 ? null : TypeInScope(g, i)).ToList(),
                    node.Outputs.Select(o => o.Length == 0 ? null : TypeInScope(g, o)).ToList());
                var support = provider.CanRun(query);
                if (!support.IsSupported)
                {
                    var k = (node.OpType, node.Domain.Length == 0 ? "ai.onnx" : node.Domain, opset, support.Reason ?? "unsupported");
                    if (!unsupported.TryGetValue(k, out var names))
                    {
                        unsupported[k] = names = [];
                    }

                    names.Add(node.Name);
                }

                foreach (var output in node.Outputs.Where(o => o.Length > 0))
                {
                    var (kind, dtype, shape, type) = Describe(TypeInScope(g, output));
                    values.Add(new IntermediateValueReport(output, kind, dtype, shape, type, key, node.Name, isMain ? null : g.Name));
                }
            }
        }

        var inputs = graph.Inputs.Where(v => !graph.Initializers.ContainsKey(v.Name)).Select(ToReport).ToList();
        var outputs = graph.Outputs.Select(ToReport).ToList();
        var opsets = model.OpsetImports
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new OpsetReport(kv.Key.Length == 0 ? "ai.onnx" : kv.Key, kv.Value))
            .ToList();
        var histogram = ops.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var refused = unsupported
            .Select(kv => new UnsupportedOpReport(kv.Key.Op, kv.Key.Domain, kv.Key.Opset, kv.Key.Reason, kv.Value))
            .ToList();
        string producer = string.IsNullOrEmpty(model.ProducerVersion) ? model.ProducerName : $"{model.ProducerName} {model.ProducerVersion}";

        return new InspectReport(
            source,
            model.IrVersion,
            producer,
            opsets,
            inputs,
            outputs,
            nodeCount,
            histogram,
            refused,
            new ParameterReport(paramCount, paramBytes, initializers),
            values,
            new ShapeInferenceSummary(shapes.Errors.ToList(), shapes.OpsWithoutInference.ToList()));
    }

    /// <summary>The graph and every nested subgraph, depth first; the flag marks the main graph.</summary>
    private static IEnumerable<(Graph Graph, bool IsMain)> AllGraphs(Graph graph, bool isMain)
    {
        yield return (graph, isMain);
        foreach (var node in graph.Nodes)
        {
            foreach (var sub in node.Subgraphs())
            {
                sub.Parent ??= graph;
                foreach (var nested in AllGraphs(sub, false))
                {
                    yield return nested;
                }
            }
        }
    }

    private static TypeInfo? TypeInScope(Graph graph, string name)
    {
        for (var g = graph; g is not null; g = g.Parent)
        {
            if (g.TypeOf(name) is { } t)
            {
                return t;
            }
        }

        return null;
    }

    private static ValueReport ToReport(ValueInfo v)
    {
        var (kind, dtype, shape, type) = Describe(v.Type);
        return new ValueReport(v.Name, kind, dtype, shape, type);
    }

    private static (string Kind, string? Dtype, Dim[]? Shape, string Type) Describe(TypeInfo? type) => type switch
    {
        TensorTypeInfo t => ("tensor", t.ElementType == DataType.Undefined ? null : t.ElementType.Name(), t.Shape?.ToArray(), t.ToString()),
        SequenceTypeInfo s => ("sequence", (s.ElementType as TensorTypeInfo)?.ElementType.Name(), null, s.ToString()),
        OptionalTypeInfo o => ("optional", (o.ElementType as TensorTypeInfo)?.ElementType.Name(), (o.ElementType as TensorTypeInfo)?.Shape?.ToArray(), o.ToString()),
        MapTypeInfo m => ("map", null, null, m.ToString()),
        _ => ("unknown", null, null, "?"),
    };
}
