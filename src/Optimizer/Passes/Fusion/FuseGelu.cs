using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// Decomposed GELU → ai.autoglm Gelu. Erf form (approximate = "none"): 0.5 x (1 + erf(x / √2)) with x/√2 written as
/// Div(x, 1.4142) or Mul(x, 0.7071); tanh form (approximate = "tanh"): 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))
/// with x³ as Pow(x, 3) or Mul(Mul(x, x), x). The final products PyTorch exports: Mul(Mul(x, 1 + f), 0.5),
/// Mul(Mul(x, 0.5), 1 + f) and Mul(x, Mul(1 + f, 0.5)), operands in either order.
/// </summary>
public sealed class FuseGelu : FusionPass
{
    public override string Name => "fuse-gelu";

    private protected override void Visit(FusionGraph g, Node node)
    {
        var match = node.OpType switch
        {
            "Erf" => MatchErf(g, node),
            "Tanh" => MatchTanh(g, node),
            _ => null,
        };
        if (match is null)
        {
            return;
        }

        var (x, nodes, output, approximate) = match.Value;
        var gelu = new Node("Gelu", [x], [output], g.UniqueName("Gelu"), OpSchemas.AutoGlmDomain);
        gelu.Attributes.Set(NodeAttribute.Of("approximate", approximate));
        g.TryReplace(nodes, gelu);
    }

    private static (string X, List<Node> Nodes, string Output, string Approximate)? MatchErf(FusionGraph g, Node erf)
    {
        // erf input = x / sqrt(2)
        var scaled = g.Producer(erf.Inputs[0]);
        if (scaled is not { Domain: "" } || !g.OnlyFeeds(erf.Inputs[0], erf))
        {
            return null;
        }

        string? x = scaled.OpType switch
        {
            "Div" when g.IsScalar(scaled.Inputs[1], Math.Sqrt(2)) => scaled.Inputs[0],
            "Mul" when g.IsScalar(scaled.Inputs[1], Math.Sqrt(0.5)) => scaled.Inputs[0],
            "Mul" when g.IsScalar(scaled.Inputs[0], Math.Sqrt(0.5)) => scaled.Inputs[1],
            _ => null,
        };
        return x is null ? null : MatchTail(g, x, [scaled, erf], erf.Outputs[0], "none");
    }

    private static (string X, List<Node> Nodes, string Output, string Approximate)? MatchTanh(FusionGraph g, Node tanh)
    {
        // tanh input = sqrt(2/pi) * (x + 0.044715 * x^3)
        var outer = g.Producer(tanh.Inputs[0], "Mul");
        if (outer is null || !g.OnlyFeeds(tanh.Inputs[0], tanh))
        {
            return null;
        }

        string? inner = g.IsScalar(outer.Inputs[1], Math.Sqrt(2 / Math.PI)) ? outer.Inputs[0]
            : g.IsScalar(outer.Inputs[0], Math.Sqrt(2 / Math.PI)) ? outer.Inputs[1] : null;
        var sum = inner is null ? null : g.Producer(inner, "Add");
        if (sum is null || !g.OnlyFeeds(inner!, outer))
        {
            return null;
        }

        foreach (int xi in new[] { 0, 1 })
        {
            string x = sum.Inputs[xi];
            string cubicTerm = sum.Inputs[1 - xi];
            var coef = g.Producer(cubicTerm, "Mul");
            if (coef is null || !g.OnlyFeeds(cubicTerm, sum))
            {
                continue;
            }

            string? cube = g.IsScalar(coef.Inputs[1], 0.044715) ? coef.Inputs[0] : g.IsScalar(coef.Inputs[0], 0.044715) ? coef.Inputs[1] : null;
            if (cube is null || !g.OnlyFeeds(cube, coef) || MatchCube(g, cube, x) is not { } cubeNodes)
            {
                continue;
            }

            return MatchTail(g, x, [.. cubeNodes, coef, sum, outer, tanh], tanh.Outputs[0], "tanh");
        }

        return null;
    }

    /// <summary>x³ as Pow(x, 3) or Mul(Mul(x, x), x) in any operand order.</summary>
    private static List<Node>? MatchCube(FusionGraph g, string cube, string x)
    {
        if (g.Producer(cube, "Pow") is { } pow && pow.Inputs[0] == x && g.IsScalar(pow.Inputs[1], 3))
        {
            return [pow];
        }

        if (g.Producer(cube, "Mul") is { } m2 && FusionGraph.Other(m2, x) is { } sq
            && g.Producer(sq, "Mul") is { } m1 && m1.Inputs[0] == x && m1.Inputs[1] == x && g.OnlyFeeds(sq, m2))
        {
            return [m1, m2];
        }

        return null;
    }

    /// <summary>From f (erf or tanh output): 1 + f, then one of the three product forms with x and 0.5.</summary>
    private static (string X, List<Node> Nodes, string Output, string Approximate)? MatchTail(FusionGraph g, string x, List<Node> nodes, string f, string approximate)
    {
        var onePlus = g.SoleConsumer(f, "Add");
        if (onePlus is null || FusionGraph.Other(onePlus, f) is not { } one || !g.IsScalar(one, 1))
        {
            return null;
        }

        nodes.Add(onePlus);
        string e = onePlus.Outputs[0];
        var consumers = g.Consumers(e);
        if (consumers.Count != 1 || g.IsPinned(e) || consumers[0] is not { Domain: "", OpType: "Mul" } mul)
        {
            return null;
        }

        string? other = FusionGraph.Other(mul, e);
        if (other == x)
        {
            // Mul(Mul(x, 1 + f), 0.5)
            var half = g.SoleConsumer(mul.Outputs[0], "Mul");
            if (half is null || FusionGraph.Other(half, mul.Outputs[0]) is not { } h || !g.IsScalar(h, 0.5))
            {
                return null;
            }

            return (x, [.. nodes, mul, half], half.Outputs[0], approximate);
        }

        if (other is not null && g.Producer(other, "Mul") is { } xHalf && g.OnlyFeeds(other, mul)
            && FusionGraph.Other(xHalf, x) is { } h2 && g.IsScalar(h2, 0.5))
        {
            // Mul(Mul(x, 0.5), 1 + f)
            return (x, [.. nodes, xHalf, mul], mul.Outputs[0], approximate);
        }

        if (other is not null && g.IsScalar(other, 0.5))
        {
            // Mul(x, Mul(1 + f, 0.5))
            var outerMul = g.SoleConsumer(mul.Outputs[0], "Mul");
            if (outerMul is null || FusionGraph.Other(outerMul, mul.Outputs[0]) != x)
            {
                return null;
            }

            return (x, [.. nodes, mul, outerMul], outerMul.Outputs[0], approximate);
        }

        return null;
    }
}
