using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.TestKit;

/// <summary>
/// Builds a graph of any value kinds (tensors, sequences, optionals, subgraph attributes) for tests of ops
/// that <see cref="OpTester"/> cannot express: control flow bodies, sequence and optional values.
/// </summary>
public sealed class GraphBuilder
{
    private int _nodeCount;

    public GraphBuilder(string name = "test")
    {
        Graph = new Graph(name);
    }

    public Graph Graph { get; }

    public GraphBuilder Input(string name, TypeInfo? type)
    {
        Graph.Inputs.Add(new ValueInfo(name, type));
        return this;
    }

    public GraphBuilder Input(string name, DataType type, params Dim[] dims) => Input(name, new TensorTypeInfo(type, new Shape(dims)));

    public GraphBuilder Initializer(string name, Tensor value)
    {
        Graph.Initializers[name] = value;
        return this;
    }

    public GraphBuilder Node(string opType, string[] inputs, string[] outputs, params NodeAttribute[] attributes)
    {
        var node = new Node(opType, inputs, outputs, $"{opType}_{_nodeCount++}");
        foreach (var a in attributes)
        {
            node.Attributes.Set(a);
        }

        Graph.Nodes.Add(node);
        return this;
    }

    public GraphBuilder Output(string name, TypeInfo? type = null)
    {
        Graph.Outputs.Add(new ValueInfo(name, type));
        return this;
    }

    public Model ToModel(long opset = 17)
    {
        var model = new Model(Graph);
        model.OpsetImports[string.Empty] = opset;
        return model;
    }

    /// <summary>
    /// Runs <paramref name="model"/> on the CPU provider and returns every output; checks that each output's
    /// inferred type (value kind, element type, full shape when inferred) agrees with what was produced.
    /// </summary>
    public static IReadOnlyDictionary<string, DataValue> Run(Model model, params (string Name, DataValue Value)[] feeds)
    {
        var session = InferenceSession.Create(model, new SessionOptions
        {
            Providers = [new CpuExecutionProvider()],
            OptimizationLevel = OptimizationLevel.None,
        });
        var results = session.Run(feeds.ToDictionary(f => f.Name, f => f.Value));
        foreach (var o in session.Outputs)
        {
            if (CheckType(o.Type, results[o.Name]) is { } why)
            {
                throw new Xunit.Sdk.XunitException($"output '{o.Name}': shape inference said {o.Type} but the run produced {Describe(results[o.Name])}: {why}");
            }
        }

        return results;
    }

    /// <summary>Runs a model with one output and returns it.</summary>
    public DataValue RunSingle(long opset = 17, params (string Name, DataValue Value)[] feeds) =>
        Run(ToModel(opset), feeds)[Graph.Outputs[0].Name];

    private static string? CheckType(TypeInfo? inferred, DataValue actual)
    {
        switch (inferred)
        {
            case null:
                return null;
            case TensorTypeInfo t:
                if (actual is not Tensor tensor)
                {
                    return "expected a tensor";
                }

                if (t.ElementType != DataType.Undefined && t.ElementType != tensor.DataType)
                {
                    return "element type differs";
                }

                if (t.Shape is { } s && (s.Rank != tensor.Rank || Enumerable.Range(0, s.Rank).Any(i => s[i].Value is long d && d != tensor.Dims[i])))
                {
                    return "shape differs";
                }

                return null;
            case SequenceTypeInfo seq:
                if (actual is not TensorSequence values)
                {
                    return "expected a sequence";
                }

                return values.Items.Select(item => CheckType(seq.ElementType, item)).FirstOrDefault(w => w is not null);
            case OptionalTypeInfo opt:
                if (actual is not OptionalValue o)
                {
                    return "expected an optional";
                }

                return o.Value is null ? null : CheckType(opt.ElementType, o.Value);
            default:
                return null;
        }
    }

    private static string Describe(DataValue v) => v switch
    {
        Tensor t => $"{t.DataType.Name()}{t.ShapeString}",
        TensorSequence s => $"seq({s.ElementType.Name()}, {s.Items.Count} items: {string.Join(" ", s.Items.Select(i => i.ShapeString))})",
        OptionalValue o => o.Value is null ? "optional(empty)" : $"optional({Describe(o.Value)})",
        _ => v.Type.ToString(),
    };
}
