using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// Add(input, skip) → LayerNormalization over the last axis → ai.autoglm SkipLayerNormalization. When the input is
/// itself Add(x, bias) with a constant [hidden] bias read only there, the bias becomes SkipLayerNormalization's bias
/// input (when x's last dimension is known to be hidden). When the sum has other readers (GPT-2's residual stream), it
/// stays available as output 1 under its name. SkipLayerNormalization broadcasts input and skip like Add, so shapes
/// need not be known; neither operand may be a constant (that is a bias, not a skip).
/// </summary>
public sealed class FuseSkipLayerNormalization : FusionPass
{
    public override string Name => "fuse-skip-layer-normalization";

    private protected override void Visit(FusionGraph g, Node node)
    {
        if (node.OpType == "LayerNormalization")
        {
            TryFuse(g, node);
        }
    }

    private static void TryFuse(FusionGraph g, Node ln)
    {
        string sum = ln.Inputs[0];
        var add = g.Producer(sum, "Add");
        var shape = g.ShapeOf(sum);
        if (add is null || shape is null || shape.Rank == 0 || shape[shape.Rank - 1].Value is not long hidden || add.Inputs.Count != 2 || ln.Outputs.Skip(1).Any(o => o.Length > 0))
        {
            return;
        }

        long axis = ln.Attributes.GetInt("axis", -1);
        if ((axis != -1 && axis != shape.Rank - 1) || g.ShapeOf(ln.Inputs[1])?.Rank != 1 || (ln.HasInput(2) && g.ShapeOf(ln.Inputs[2])?.Rank != 1))
        {
            return;
        }

        string a = add.Inputs[0], b = add.Inputs[1];
        if (g.Constant(a) is not null || g.Constant(b) is not null)
        {
            return;
        }

        var nodes = new List<Node> { add, ln };
        string? bias = null;
        foreach (var (input, other) in new[] { (a, b), (b, a) })
        {
            if (g.Producer(input, "Add") is { } biasAdd && g.OnlyFeeds(input, add)
                && biasAdd.Inputs.FirstOrDefault(i => g.Constant(i) is { DataType: DataType.Float32, Rank: 1 } t && t.Length == hidden) is { } bi
                && FusionGraph.Other(biasAdd, bi) is { } x && g.ShapeOf(x) is { Rank: >= 1 } xs && xs[xs.Rank - 1].Value == hidden)
            {
                bias = bi;
                a = x;
                b = other;
                nodes.Insert(0, biasAdd);
                break;
            }
        }

        bool sumUsedElsewhere = g.IsPinned(sum) || g.Consumers(sum).Count > 1;
        string[] inputs = [a, b, ln.Inputs[1], ln.InputOrEmpty(2), bias ?? string.Empty];
        int count = inputs.Length;
        while (count > 3 && inputs[count - 1].Length == 0)
        {
            count--;
        }

        var fused = new Node("SkipLayerNormalization", inputs.Take(count), sumUsedElsewhere ? [ln.Outputs[0], sum] : [ln.Outputs[0]], g.UniqueName("SkipLayerNormalization"), OpSchemas.AutoGlmDomain);
        fused.Attributes.Set(NodeAttribute.Of("epsilon", ln.Attributes.GetFloat("epsilon", 1e-5f)));
        g.TryReplace(nodes, fused);
    }
}
