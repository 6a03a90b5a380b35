namespace OpenAutoGlm.Core;

/// <summary>
/// One operator application. Inputs and outputs refer to values by name; an empty name is an omitted
/// optional input or output. <see cref="Domain"/> is "" for the default ONNX domain (ai.onnx).
/// </summary>
public sealed class Node
{
    public Node(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, string name = "", string domain = "")
    {
        OpType = opType;
        Inputs = inputs.ToList();
        Outputs = outputs.ToList();
        Name = name;
        Domain = NormalizeDomain(domain);
        Attributes = new AttributeCollection { Owner = this };
    }

    public string Name { get; set; }

    public string OpType { get; set; }

    public string Domain { get; set; }

    public List<string> Inputs { get; }

    public List<string> Outputs { get; }

    public AttributeCollection Attributes { get; }

    public string DocString { get; set; } = string.Empty;

    /// <summary>The provider this node was assigned to by the partitioner (null before partitioning).</summary>
    public string? ExecutionProvider { get; set; }

    /// <summary>Input <paramref name="index"/>'s name, or "" when the input is absent or omitted.</summary>
    public string InputOrEmpty(int index) => index < Inputs.Count ? Inputs[index] : string.Empty;

    public bool HasInput(int index) => index < Inputs.Count && Inputs[index].Length > 0;

    /// <summary>Every subgraph held in attributes (If branches, Loop/Scan bodies).</summary>
    public IEnumerable<Graph> Subgraphs()
    {
        foreach (var a in Attributes)
        {
            if (a.Value is Graph g)
            {
                yield return g;
            }
            else if (a.Value is Graph[] gs)
            {
                foreach (var sub in gs)
                {
                    yield return sub;
                }
            }
        }
    }

    /// <summary>Node name and op, for messages: <c>node 'conv1' (Conv)</c>.</summary>
    public string Describe() => Domain.Length == 0
        ? $"node '{Name}' ({OpType})"
        : $"node '{Name}' ({Domain}.{OpType})";

    public override string ToString() => $"{Describe()} [{string.Join(", ", Inputs)}] -> [{string.Join(", ", Outputs)}]";

    /// <summary>"ai.onnx" and "" are the same domain; we store "".</summary>
    public static string NormalizeDomain(string? domain) => domain is null or "ai.onnx" ? string.Empty : domain;
}
