using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.TestKit;

/// <summary>
/// Runs one op through a real <see cref="InferenceSession"/> on the CPU provider: the same path models take
/// (validation, shape inference, partitioning, kernel creation). Also checks that shape inference agreed
/// with the kernel's actual output shape whenever inference produced a full shape.
/// </summary>
public sealed class OpTester
{
    private readonly string _opType;
    private readonly string _domain;
    private readonly long _opset;
    private readonly List<(string Name, Tensor? Value, bool Constant)> _inputs = [];
    private readonly List<NodeAttribute> _attributes = [];
    private int _outputCount = 1;
    private int _threads;
    private bool _poison;

    public OpTester(string opType, long opset = 17, string domain = "")
    {
        _opType = opType;
        _opset = opset;
        _domain = domain;
    }

    /// <summary>Adds an input fed at run time (null: an omitted optional input).</summary>
    public OpTester Input(Tensor? value)
    {
        _inputs.Add(($"in{_inputs.Count}", value, false));
        return this;
    }

    /// <summary>Adds an input stored as an initializer (constant at session creation).</summary>
    public OpTester ConstantInput(Tensor value)
    {
        _inputs.Add(($"in{_inputs.Count}", value, true));
        return this;
    }

    public OpTester Attribute(NodeAttribute attribute)
    {
        _attributes.Add(attribute);
        return this;
    }

    public OpTester Attr(string name, long value) => Attribute(NodeAttribute.Of(name, value));

    public OpTester Attr(string name, float value) => Attribute(NodeAttribute.Of(name, value));

    public OpTester Attr(string name, string value) => Attribute(NodeAttribute.Of(name, value));

    public OpTester Attr(string name, long[] value) => Attribute(NodeAttribute.Of(name, value));

    public OpTester Attr(string name, float[] value) => Attribute(NodeAttribute.Of(name, value));

    /// <summary>
    /// Runs with <see cref="SessionOptions.PoisonUninitializedOutputs"/>: an output element the kernel forgets to write
    /// is NaN instead of whatever the reused buffer held.
    /// </summary>
    public OpTester PoisonUninitializedOutputs()
    {
        _poison = true;
        return this;
    }

    /// <summary>Runs the session with <paramref name="threads"/> intra-op threads (default: one per processor).</summary>
    public OpTester Threads(int threads)
    {
        _threads = threads;
        return this;
    }

    public OpTester Outputs(int count)
    {
        _outputCount = count;
        return this;
    }

    public Model BuildModel()
    {
        var graph = new Graph($"test_{_opType}");
        var model = new Model(graph);
        model.OpsetImports[string.Empty] = _domain.Length == 0 ? _opset : 17;
        if (_domain.Length > 0)
        {
            model.OpsetImports[_domain] = _opset;
        }

        var inputNames = new List<string>();
        foreach (var (name, value, constant) in _inputs)
        {
            if (value is null)
            {
                inputNames.Add(string.Empty);
                continue;
            }

            inputNames.Add(name);
            if (constant)
            {
                graph.Initializers[name] = value;
            }
            else
            {
                graph.Inputs.Add(new ValueInfo(name, value.Type));
            }
        }

        var outputs = Enumerable.Range(0, _outputCount).Select(i => $"out{i}").ToList();
        var node = new Node(_opType, inputNames, outputs, $"{_opType}_under_test", _domain);
        foreach (var a in _attributes)
        {
            node.Attributes.Set(a);
        }

        graph.Nodes.Add(node);
        foreach (var o in outputs)
        {
            graph.Outputs.Add(new ValueInfo(o, null));
        }

        return model;
    }

    /// <summary>Runs the op and returns its outputs in order.</summary>
    public Tensor[] Run()
    {
        var model = BuildModel();
        var session = InferenceSession.Create(model, new SessionOptions
        {
            Providers = [new CpuExecutionProvider()],
            OptimizationLevel = OptimizationLevel.None,
            PoisonUninitializedOutputs = _poison,
            IntraOpThreads = _threads,
        });
        var feeds = _inputs.Where(i => i.Value is not null && !i.Constant).ToDictionary(i => i.Name, i => (DataValue)i.Value!);
        var results = session.Run(feeds);
        var tensors = new Tensor[_outputCount];
        for (int i = 0; i < _outputCount; i++)
        {
            tensors[i] = (Tensor)results[$"out{i}"];
            if (session.Outputs[i].Type is TensorTypeInfo { Shape: { IsFullyKnown: true } inferred } info)
            {
                if (!inferred.Equals(Shape.FromKnown(tensors[i].Dims)) || (info.ElementType != DataType.Undefined && info.ElementType != tensors[i].DataType))
                {
                    throw new Xunit.Sdk.XunitException($"shape inference said {info} for output {i} but the kernel produced {tensors[i].DataType.Name()}{tensors[i].ShapeString}");
                }
            }
        }

        return tensors;
    }

    public Tensor RunSingle() => Run()[0];
}
