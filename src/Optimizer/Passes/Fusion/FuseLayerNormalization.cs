using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// The decomposed LayerNormalization that PyTorch exports below opset 17 → one LayerNormalization node:
/// m = ReduceMean(x, trailing axes); d = Sub(x, m); v = ReduceMean(Pow(d, 2)); y = Div(d, Sqrt(Add(v, eps)));
/// then optionally Mul(y, gamma) and Add(·, beta) with constant gamma/beta (a missing gamma becomes ones).
/// The node is emitted in the default ONNX domain whatever the model's opset: ai.onnx defines LayerNormalization
/// from opset 17, and this runtime (like ONNX Runtime, which registers it in the ONNX domain from version 1)
/// accepts it at any opset, so no ai.autoglm copy exists. It is only emitted when a provider claims it.
/// </summary>
public sealed class FuseLayerNormalization : FusionPass
{
    public override string Name => "fuse-layer-normalization";

    private protected override void Visit(FusionGraph g, Node node)
    {
        if (node.OpType == "ReduceMean")
        {
            TryFuse(g, node);
        }
    }

    private static void TryFuse(FusionGraph g, Node mean)
    {
        string x = mean.Inputs[0];
        int rank = ReduceAxes.RankOf(g, x);
        int? axis = ReduceAxes.TrailingAxis(g, mean, rank);
        var sub = g.SoleConsumer(mean.Outputs[0], "Sub");
        if (axis is null || sub is null || sub.Inputs[0] != x || sub.Inputs[1] != mean.Outputs[0])
        {
            return;
        }

        // d feeds exactly Pow(d, 2) and Div(d, ·).
        string d = sub.Outputs[0];
        var dUsers = g.Consumers(d);
        var pow = dUsers.FirstOrDefault(n => n is { Domain: "", OpType: "Pow" });
        var div = dUsers.FirstOrDefault(n => n is { Domain: "", OpType: "Div" });
        if (dUsers.Count != 2 || g.IsPinned(d) || pow is null || div is null || pow.Inputs[0] != d || !g.IsScalar(pow.Inputs[1], 2) || div.Inputs[0] != d)
        {
            return;
        }

        var varMean = g.SoleConsumer(pow.Outputs[0], "ReduceMean");
        if (varMean is null || !ReduceAxes.Same(axis, ReduceAxes.TrailingAxis(g, varMean, rank)))
        {
            return;
        }

        var addEps = g.SoleConsumer(varMean.Outputs[0], "Add");
        if (addEps is null || FusionGraph.Other(addEps, varMean.Outputs[0]) is not { } epsName || !g.TryScalar(epsName, out double eps))
        {
            return;
        }

        var sqrt = g.SoleConsumer(addEps.Outputs[0], "Sqrt");
        if (sqrt is null || div.Inputs[1] != sqrt.Outputs[0] || !g.OnlyFeeds(sqrt.Outputs[0], div))
        {
            return;
        }

        var nodes = new List<Node> { mean, sub, pow, varMean, addEps, sqrt, div };
        string output = div.Outputs[0];
        string? gamma = null, beta = null;
        if (g.SoleConsumer(output, "Mul") is { } mul && FusionGraph.Other(mul, output) is { } gm && IsParameter(g, gm, -axis.Value))
        {
            gamma = gm;
            nodes.Add(mul);
            output = mul.Outputs[0];
        }

        if (g.SoleConsumer(output, "Add") is { } add && FusionGraph.Other(add, output) is { } bt && IsParameter(g, bt, -axis.Value))
        {
            beta = bt;
            nodes.Add(add);
            output = add.Outputs[0];
        }

        bool createdGamma = gamma is null;
        if (gamma is null)
        {
            if (g.ShapeOf(x) is not { } shape || shape.Rank < -axis.Value || !shape.Skip(shape.Rank + axis.Value).All(dim => dim.IsKnown))
            {
                return;
            }

            var dims = shape.Skip(shape.Rank + axis.Value).Select(dim => (int)dim.Value!.Value).ToArray();
            var ones = new float[dims.Aggregate(1, (a, b) => a * b)];
            Array.Fill(ones, 1f);
            gamma = g.AddInitializer("ln_scale", Tensor.Create(ones, dims));
        }

        var ln = new Node("LayerNormalization", beta is null ? [x, gamma] : [x, gamma, beta], [output], g.UniqueName("LayerNormalization"));
        ln.Attributes.Set(NodeAttribute.Of("axis", (long)axis.Value));
        ln.Attributes.Set(NodeAttribute.Of("epsilon", (float)eps));
        if (!g.TryReplace(nodes, ln) && createdGamma)
        {
            g.Graph.Initializers.Remove(gamma);
        }
    }

    /// <summary>A constant float32 whose rank does not exceed the normalized rank (it broadcasts over the normalized dims).</summary>
    private static bool IsParameter(FusionGraph g, string value, int normalizedRank) =>
        g.Constant(value) is { DataType: DataType.Float32 } t && t.Rank <= normalizedRank;
}
