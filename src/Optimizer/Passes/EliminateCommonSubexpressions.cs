using System.Text;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Common-subexpression elimination: a node with the same domain, op, attributes and inputs as an earlier
/// node computes the same values; its readers are redirected to the earlier node's outputs and it is removed.
/// Random ops, nodes with subgraphs and nodes producing a graph output are left alone.
/// </summary>
public sealed class EliminateCommonSubexpressions : IGraphPass
{
    /// <summary>Tensor attributes up to this many elements take part in the key by value.</summary>
    private const int MaxTensorAttributeElements = 1024;

    public string Name => "eliminate-common-subexpressions";

    public OptimizationLevel Level => OptimizationLevel.Basic;

    public bool Apply(Model model, PassContext context) => new Rule().Apply(model, context);

    /// <summary>The key of a node, or null when the node must not be merged.</summary>
    internal static string? Key(Node node)
    {
        if (node.Subgraphs().Any() || node.OpType.StartsWith("Random", StringComparison.Ordinal) || node.OpType is "Multinomial" or "Bernoulli" || (node.OpType == "Dropout" && node.HasInput(2)))
        {
            return null;
        }

        var sb = new StringBuilder();
        sb.Append(node.Domain).Append('|').Append(node.OpType).Append('|').AppendJoin(',', node.Inputs).Append('|');
        sb.AppendJoin(',', node.Outputs.Select(o => o.Length > 0 ? "1" : "0")).Append('|');
        foreach (var a in node.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            sb.Append(a.Name).Append('=');
            switch (a.Value)
            {
                case Tensor t when t.Length <= MaxTensorAttributeElements && t.DataType != DataType.String:
                    sb.Append(t.DataType.Name()).Append(t.ShapeString).Append(':').AppendJoin(',', t.ToDoubleArray().Select(v => BitConverter.DoubleToInt64Bits(v)));
                    break;
                case Tensor or SparseTensor or Tensor[] or SparseTensor[] or TypeInfo or TypeInfo[]:
                    return null;
                case long[] l:
                    sb.AppendJoin(',', l);
                    break;
                case float[] f:
                    sb.AppendJoin(',', f.Select(BitConverter.SingleToInt32Bits));
                    break;
                case string[] s:
                    sb.AppendJoin("\u0001", s);
                    break;
                case float f:
                    sb.Append(BitConverter.SingleToInt32Bits(f));
                    break;
                default:
                    sb.Append(a.Value);
                    break;
            }

            sb.Append(';');
        }

        return sb.ToString();
    }

    private sealed class Rule : NodeRewritePass
    {
        private readonly Dictionary<Graph, Dictionary<string, Node>> _seen = new(ReferenceEqualityComparer.Instance);

        public override string Name => "eliminate-common-subexpressions";

        protected override bool TryRewrite(GraphEditor editor, Node node)
        {
            if (Key(node) is not { } key)
            {
                return false;
            }

            if (!_seen.TryGetValue(editor.Graph, out var seen))
            {
                _seen[editor.Graph] = seen = new Dictionary<string, Node>(StringComparer.Ordinal);
            }

            if (!seen.TryGetValue(key, out var first) || editor.IsRemoved(first))
            {
                seen[key] = node;
                return false;
            }

            if (node.Outputs.Any(o => o.Length > 0 && editor.IsGraphOutput(o)))
            {
                return false;
            }

            editor.RemoveNode(node);
            for (int i = 0; i < node.Outputs.Count; i++)
            {
                if (node.Outputs[i].Length > 0)
                {
                    editor.Redirect(node.Outputs[i], first.Outputs[i]);
                }
            }

            return true;
        }
    }
}
