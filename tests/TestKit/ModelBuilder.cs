using OpenAutoGlm.Core;

namespace OpenAutoGlm.TestKit;

/// <summary>Builds small models in tests: inputs, initializers, nodes, outputs.</summary>
public sealed class ModelBuilder
{
    private readonly Graph _graph = new("test");
    private readonly Model _model;
    private int _nodeCount;

    public ModelBuilder(long opset = 17)
    {
        _model = new Model(_graph);
        _model.OpsetImports[string.Empty] = opset;
    }

    public ModelBuilder Opset(string domain, long version)
    {
        _model.OpsetImports[Core.Node.NormalizeDomain(domain)] = version;
        return this;
    }

    public ModelBuilder Input(string name, DataType type, params Dim[] dims)
    {
        _graph.Inputs.Add(ValueInfo.Tensor(name, type, new Shape(dims)));
        return this;
    }

    public ModelBuilder InputUnknownShape(string name, DataType type)
    {
        _graph.Inputs.Add(ValueInfo.Tensor(name, type, null));
        return this;
    }

    public ModelBuilder Initializer(string name, Tensor value)
    {
        _graph.Initializers[name] = value;
        return this;
    }

    public ModelBuilder Node(string opType, string[] inputs, string[] outputs, params NodeAttribute[] attributes) =>
        NodeInDomain(string.Empty, opType, inputs, outputs, attributes);

    public ModelBuilder NodeInDomain(string domain, string opType, string[] inputs, string[] outputs, params NodeAttribute[] attributes)
    {
        var node = new Core.Node(opType, inputs, outputs, $"{opType}_{_nodeCount++}", domain);
        foreach (var a in attributes)
        {
            node.Attributes.Set(a);
        }

        _graph.Nodes.Add(node);
        return this;
    }

    public ModelBuilder Output(string name, DataType type = DataType.Undefined)
    {
        _graph.Outputs.Add(new ValueInfo(name, type == DataType.Undefined ? null : new TensorTypeInfo(type, null)));
        return this;
    }

    public Model Build() => _model;
}
