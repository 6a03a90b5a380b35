namespace OpenAutoGlm.Core;

/// <summary>Options for <see cref="ShapeInferencer"/>.</summary>
public sealed class ShapeInferenceOptions
{
    /// <summary>Throw on the first inference error instead of recording it and leaving outputs unknown.</summary>
    public bool Strict { get; init; }

    /// <summary>Evaluates nodes whose inputs are all constant, so shape-computing subgraphs resolve (optional).</summary>
    public ConstantEvaluator? ConstantEvaluator { get; init; }

    /// <summary>Largest constant (elements) propagated through inference.</summary>
    public int MaxConstantElements { get; init; } = 4096;
}

/// <summary>The outcome of inference over a model: issues found and ops without inference.</summary>
public sealed class ShapeInferenceReport
{
    public List<string> Errors { get; } = [];

    public SortedSet<string> OpsWithoutInference { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Propagates types and shapes through a model in topological order (into subgraphs), writing the results
/// into <see cref="Graph.ValueInfos"/> (and refining graph outputs).
/// </summary>
public static class ShapeInferencer
{
    public static ShapeInferenceReport Run(Model model, ShapeInferenceOptions? options = null)
    {
        options ??= new ShapeInferenceOptions();
        var report = new ShapeInferenceReport();
        var types = new Dictionary<string, TypeInfo?>(StringComparer.Ordinal);
        var constants = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        InferGraph(model, model.Graph, types, constants, options, report);
        return report;
    }

    private static void InferGraph(
        Model model,
        Graph graph,
        Dictionary<string, TypeInfo?> types,
        Dictionary<string, Tensor> constants,
        ShapeInferenceOptions options,
        ShapeInferenceReport report)
    {
        foreach (var (name, t) in graph.Initializers)
        {
            types[name] = t.Type;
            if (t.Length <= options.MaxConstantElements)
            {
                constants[name] = t;
            }
        }

        foreach (var (name, s) in graph.SparseInitializers)
        {
            types[name] = new TensorTypeInfo(s.Values.DataType, Shape.FromKnown(s.Dims));
        }

        foreach (var v in graph.Inputs)
        {
            // A graph input that is also an initializer is overridable: its value is not a constant.
            constants.Remove(v.Name);
            types[v.Name] = v.Type ?? (types.TryGetValue(v.Name, out var t) ? t : null);
        }

        foreach (var (name, vi) in graph.ValueInfos)
        {
            if (vi.Type is not null && !types.ContainsKey(name))
            {
                types[name] = vi.Type;
            }
        }

        foreach (var node in GraphOrder.TopologicalSort(graph, new HashSet<string>(types.Keys, StringComparer.Ordinal)))
        {
            InferNode(model, graph, node, types, constants, options, report);
        }

        foreach (var o in graph.Outputs)
        {
            if (types.TryGetValue(o.Name, out var t) && t is not null)
            {
                o.Type = Merge(o.Type, t);
            }
        }
    }

    private static void InferNode(
        Model model,
        Graph graph,
        Node node,
        Dictionary<string, TypeInfo?> types,
        Dictionary<string, Tensor> constants,
        ShapeInferenceOptions options,
        ShapeInferenceReport report)
    {
        var inputTypes = node.Inputs.Select(i => i.Length > 0 && types.TryGetValue(i, out var t) ? t : null).ToList();
        var inputConsts = node.Inputs.Select(i => i.Length > 0 && constants.TryGetValue(i, out var c) ? c : null).ToList();
        long opset = model.OpsetFor(node.Domain);

        TypeInfo?[] outputs;
        Tensor?[] outConsts = new Tensor?[node.Outputs.Count];
        if (OpSchemas.TryGet(node.Domain, node.OpType, out var infer))
        {
            var ctx = new ShapeInferenceContext(node, opset, inputTypes, inputConsts, (g, ins) => InferSubgraph(model, g, ins, types, constants, options, report));
            try
            {
                infer(ctx);
            }
            catch (Exception ex) when (ex is ShapeInferenceException or GraphValidationException && !options.Strict)
            {
                report.Errors.Add(ex.Message);
            }

            outputs = ctx.OutputTypes;
            Array.Copy(ctx.OutputConstants, outConsts, outConsts.Length);
        }
        else
        {
            report.OpsWithoutInference.Add(node.Domain.Length == 0 ? node.OpType : $"{node.Domain}.{node.OpType}");
            outputs = new TypeInfo?[node.Outputs.Count];
        }

        bool allConstant = node.Inputs.Count > 0 && node.Inputs.All(i => i.Length == 0 || constants.ContainsKey(i)) && !node.Subgraphs().Any();
        bool isSource = node.Inputs.Count == 0 && node.OpType is "Constant";
        if ((allConstant || isSource) && options.ConstantEvaluator is not null && outConsts.All(c => c is null) && !IsNondeterministic(node))
        {
            try
            {
                var values = options.ConstantEvaluator(node, opset, inputConsts);
                if (values is not null)
                {
                    for (int i = 0; i < values.Length && i < outConsts.Length; i++)
                    {
                        outConsts[i] = values[i];
                        outputs[i] = values[i]?.Type ?? outputs[i];
                    }
                }
            }
            catch (AutoGlmException ex)
            {
                report.Errors.Add($"{node.Describe()}: constant evaluation failed: {ex.Message}");
            }
        }

        for (int i = 0; i < node.Outputs.Count; i++)
        {
            string name = node.Outputs[i];
            if (name.Length == 0)
            {
                continue;
            }

            var existing = graph.ValueInfos.TryGetValue(name, out var vi) ? vi.Type : null;
            var merged = Merge(existing, outputs[i]);
            types[name] = merged;
            if (merged is not null)
            {
                if (vi is null)
                {
                    graph.ValueInfos[name] = new ValueInfo(name, merged);
                }
                else
                {
                    vi.Type = merged;
                }
            }

            if (outConsts[i] is { } c && c.Length <= options.MaxConstantElements)
            {
                constants[name] = c;
            }
        }
    }

    private static bool IsNondeterministic(Node node) =>
        node.OpType.StartsWith("Random", StringComparison.Ordinal) || node.OpType is "Multinomial" or "Bernoulli";

    private static IReadOnlyList<TypeInfo?> InferSubgraph(
        Model model,
        Graph graph,
        IReadOnlyList<TypeInfo?> inputTypes,
        Dictionary<string, TypeInfo?> outerTypes,
        Dictionary<string, Tensor> outerConstants,
        ShapeInferenceOptions options,
        ShapeInferenceReport report)
    {
        var types = new Dictionary<string, TypeInfo?>(outerTypes, StringComparer.Ordinal);
        var constants = new Dictionary<string, Tensor>(outerConstants, StringComparer.Ordinal);
        for (int i = 0; i < graph.Inputs.Count && i < inputTypes.Count; i++)
        {
            if (inputTypes[i] is { } t)
            {
                graph.Inputs[i].Type = Merge(graph.Inputs[i].Type, t);
            }
        }

        InferGraph(model, graph, types, constants, options, report);
        return graph.Outputs.Select(o => types.TryGetValue(o.Name, out var t) ? Merge(o.Type, t) : o.Type).ToList();
    }

    /// <summary>
    /// Combines a declared type with an inferred one: known dims win over unknown or symbolic ones; the
    /// declared symbolic names are kept where inference knows nothing.
    /// </summary>
    public static TypeInfo? Merge(TypeInfo? declared, TypeInfo? inferred)
    {
        if (declared is null)
        {
            return inferred;
        }

        if (inferred is null)
        {
            return declared;
        }

        if (declared is TensorTypeInfo d && inferred is TensorTypeInfo i)
        {
            var type = i.ElementType != DataType.Undefined ? i.ElementType : d.ElementType;
            if (d.Shape is null)
            {
                return new TensorTypeInfo(type, i.Shape);
            }

            if (i.Shape is null || i.Shape.Rank != d.Shape.Rank)
            {
                return new TensorTypeInfo(type, i.Shape ?? d.Shape);
            }

            var dims = new Dim[d.Shape.Rank];
            for (int k = 0; k < dims.Length; k++)
            {
                dims[k] = i.Shape[k].IsKnown ? i.Shape[k] : d.Shape[k].IsKnown || d.Shape[k].Symbol is not null ? d.Shape[k] : i.Shape[k];
            }

            return new TensorTypeInfo(type, new Shape(dims));
        }

        return inferred;
    }
}
