using System.Text;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer;

/// <summary>Readable text of a graph (for debug dumps and diffs) and op histograms.</summary>
public static class GraphText
{
    /// <summary>
    /// One line per node <c>outputs = domain.Op[attrs](inputs)</c>, after the inputs, initializers (dtype and
    /// shape only) and outputs; subgraphs are indented under their node.
    /// </summary>
    public static string Format(Graph graph)
    {
        var sb = new StringBuilder();
        Write(graph, sb, string.Empty);
        return sb.ToString();
    }

    /// <summary>Node count per op (<c>Conv</c>, or <c>domain.Op</c> outside the default domain), subgraphs included.</summary>
    public static SortedDictionary<string, int> OpHistogram(Graph graph)
    {
        var result = new SortedDictionary<string, int>(StringComparer.Ordinal);
        Count(graph, result);
        return result;
    }

    public static string OpKey(Node node) => node.Domain.Length == 0 ? node.OpType : $"{node.Domain}.{node.OpType}";

    private static void Count(Graph graph, SortedDictionary<string, int> result)
    {
        foreach (var node in graph.Nodes)
        {
            string key = OpKey(node);
            result[key] = result.GetValueOrDefault(key) + 1;
            foreach (var sub in node.Subgraphs())
            {
                Count(sub, result);
            }
        }
    }

    private static void Write(Graph graph, StringBuilder sb, string indent)
    {
        sb.Append(indent).Append("graph ").Append(graph.Name).AppendLine();
        foreach (var v in graph.Inputs)
        {
            sb.Append(indent).Append("  input ").Append(v).AppendLine();
        }

        foreach (var (name, t) in graph.Initializers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(indent).Append("  init ").Append(name).Append(": ").Append(t.Type).AppendLine();
        }

        foreach (var node in graph.Nodes)
        {
            sb.Append(indent).Append("  ").Append(string.Join(", ", node.Outputs)).Append(" = ").Append(OpKey(node));
            var attrs = node.Attributes.Where(a => a.Value is not Graph and not Graph[]).Select(a => a.Value is Tensor t ? $"{a.Name}={t.Type}" : a.ToString()).ToList();
            if (attrs.Count > 0)
            {
                sb.Append('[').Append(string.Join(", ", attrs)).Append(']');
            }

            sb.Append('(').Append(string.Join(", ", node.Inputs)).Append(")  # ").Append(node.Name).AppendLine();
            foreach (var a in node.Attributes)
            {
                var subs = a.Value switch
                {
                    Graph g => [g],
                    Graph[] gs => gs,
                    _ => [],
                };
                foreach (var sub in subs)
                {
                    sb.Append(indent).Append("    ").Append(a.Name).AppendLine(":");
                    Write(sub, sb, indent + "      ");
                }
            }
        }

        foreach (var v in graph.Outputs)
        {
            sb.Append(indent).Append("  output ").Append(v).AppendLine();
        }
    }
}
