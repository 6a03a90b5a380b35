using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// Decomposed RMS normalization → ai.autoglm RmsNormalization: s = Sqrt(Add(ReduceMean(x², trailing axes), eps)),
/// x² as Pow(x, 2) or Mul(x, x), then Div(x, s) or Mul(x, Reciprocal(s)), then optionally Mul(·, gamma) with a
/// constant gamma (a missing gamma becomes ones).
/// </summary>
public sealed class FuseRmsNormalization : FusionPass
{
    public override string Name => "fuse-rms-normalization";

    private protected override void Visit(FusionGraph g, Node node)
    {
        if (node.OpType == "ReduceMean")
        {
            TryFuse(g, node);
        }
    }

    private static void TryFuse(FusionGraph g, Node mean)
    {
        var square = g.Producer(mean.Inputs[0]);
        if (square is not { Domain: "" } || !g.OnlyFeeds(mean.Inputs[0], mean))
        {
            return;
        }

        string? x = square.OpType switch
        {
            "Pow" when g.IsScalar(square.Inputs[1], 2) => square.Inputs[0],
            "Mul" when square.Inputs[0] == square.Inputs[1] => square.Inputs[0],
            _ => null,
        };
        if (x is null)
        {
            return;
        }

        int rank = ReduceAxes.RankOf(g, x);
        int? axis = ReduceAxes.TrailingAxis(g, mean, rank);
        var addEps = g.SoleConsumer(mean.Outputs[0], "Add");
        if (axis is null || addEps is null || FusionGraph.Other(addEps, mean.Outputs[0]) is not { } epsName || !g.TryScalar(epsName, out double eps))
        {
            return;
        }

        var sqrt = g.SoleConsumer(addEps.Outputs[0], "Sqrt");
        if (sqrt is null)
        {
            return;
        }

        var nodes = new List<Node> { square, mean, addEps, sqrt };
        string output;
        if (g.SoleConsumer(sqrt.Outputs[0], "Div") is { } div && div.Inputs[0] == x && div.Inputs[1] == sqrt.Outputs[0])
        {
            nodes.Add(div);
            output = div.Outputs[0];
        }
        else if (g.SoleConsumer(sqrt.Outputs[0], "Reciprocal") is { } rcp && g.SoleConsumer(rcp.Outputs[0], "Mul") is { } mulX && FusionGraph.Other(mulX, rcp.Outputs[0]) == x)
        {
            nodes.Add(rcp);
            nodes.Add(mulX);
            output = mulX.Outputs[0];
        }
        else
        {
            return;
        }

        string? gamma = null;
        if (g.SoleConsumer(output, "Mul") is { } mul && FusionGraph.Other(mul, output) is { } gm
            && g.Constant(gm) is { DataType: DataType.Float32 } gt && gt.Rank <= -axis.Value)
        {
            gamma = gm;
            nodes.Add(mul);
            output = mul.Outputs[0];
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
            gamma = g.AddInitializer("rms_scale", Tensor.Create(ones, dims));
        }

        var rms = new Node("RmsNormalization", [x, gamma], [output], g.UniqueName("RmsNormalization"), OpSchemas.AutoGlmDomain);
        rms.Attributes.Set(NodeAttribute.Of("axis", (long)axis.Value));
        rms.Attributes.Set(NodeAttribute.Of("epsilon", (float)eps));
        if (!g.TryReplace(nodes, rms) && createdGamma)
        {
            g.Graph.Initializers.Remove(gamma);
        }
    }
}
