namespace OpenAutoGlm.Core;

/// <summary>A model: the main graph plus the metadata ONNX keeps around it.</summary>
public sealed class Model
{
    public Model(Graph graph)
    {
        Graph = graph;
    }

    public Graph Graph { get; set; }

    public long IrVersion { get; set; } = 8;

    /// <summary>Opset version per domain ("" is the default ONNX domain).</summary>
    public Dictionary<string, long> OpsetImports { get; } = new(StringComparer.Ordinal);

    public string ProducerName { get; set; } = string.Empty;

    public string ProducerVersion { get; set; } = string.Empty;

    public string Domain { get; set; } = string.Empty;

    public long ModelVersion { get; set; }

    public string DocString { get; set; } = string.Empty;

    public Dictionary<string, string> MetadataProps { get; } = new(StringComparer.Ordinal);

    /// <summary>Model-local functions (ONNX FunctionProto), keyed by (domain, name).</summary>
    public List<FunctionDefinition> Functions { get; } = [];

    /// <summary>The opset in force for <paramref name="domain"/>; 0 when the model does not import it.</summary>
    public long OpsetFor(string domain) =>
        OpsetImports.TryGetValue(Node.NormalizeDomain(domain), out var v) ? v : 0;

    /// <summary>The default-domain opset.</summary>
    public long DefaultOpset => OpsetFor(string.Empty);
}

/// <summary>A model-local function: a named subgraph body with formal inputs, outputs and attributes.</summary>
public sealed class FunctionDefinition
{
    public FunctionDefinition(string name, string domain)
    {
        Name = name;
        Domain = Node.NormalizeDomain(domain);
    }

    public string Name { get; }

    public string Domain { get; }

    public List<string> Inputs { get; } = [];

    public List<string> Outputs { get; } = [];

    public List<string> AttributeNames { get; } = [];

    public List<NodeAttribute> AttributeDefaults { get; } = [];

    public List<Node> Nodes { get; } = [];

    public Dictionary<string, long> OpsetImports { get; } = new(StringComparer.Ordinal);

    public string DocString { get; set; } = string.Empty;
}
