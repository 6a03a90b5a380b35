using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// An activation that directly follows a value and can become the epilogue of a fused op (attributes
/// <c>activation</c> and <c>activation_params</c> of ai.autoglm FusedConv/FusedGemm/FusedMatMul, docs/ops.md).
/// </summary>
internal sealed record FusedActivationMatch(string Name, float[] Params, IReadOnlyList<Node> Nodes, string Output)
{
    /// <summary>
    /// The activation applied to <paramref name="value"/> when it is its only reader: Relu, Clip (constant bounds),
    /// Sigmoid, HardSigmoid, HardSwish, LeakyRelu, Tanh, ai.autoglm Gelu, or SiLU written as Mul(x, Sigmoid(x)).
    /// </summary>
    public static FusedActivationMatch? After(FusionGraph g, string value)
    {
        if (g.IsPinned(value))
        {
            return null;
        }

        var consumers = g.Consumers(value);
        if (consumers.Count == 2 && SiLU(g, value, consumers) is { } silu)
        {
            return silu;
        }

        if (consumers.Count != 1 || !g.OnlyFeeds(value, consumers[0]) || consumers[0].Inputs[0] != value)
        {
            return null;
        }

        var n = consumers[0];
        if (n.Outputs.Count != 1)
        {
            return null;
        }

        if (n.Domain == OpSchemas.AutoGlmDomain && n.OpType == "Gelu")
        {
            string approx = n.Attributes.GetString("approximate", "none");
            return approx is "none" or "tanh" ? new(approx == "none" ? "Gelu" : "GeluTanh", [], [n], n.Outputs[0]) : null;
        }

        if (n.Domain.Length != 0)
        {
            return null;
        }

        return n.OpType switch
        {
            "Relu" or "Sigmoid" or "Tanh" or "HardSwish" => new(n.OpType, [], [n], n.Outputs[0]),
            "LeakyRelu" => new("LeakyRelu", [n.Attributes.GetFloat("alpha", 0.01f)], [n], n.Outputs[0]),
            "HardSigmoid" => new("HardSigmoid", [n.Attributes.GetFloat("alpha", 0.2f), n.Attributes.GetFloat("beta", 0.5f)], [n], n.Outputs[0]),
            "Clip" => Clip(g, n),
            _ => null,
        };
    }

    private static FusedActivationMatch? Clip(FusionGraph g, Node n)
    {
        float lo = float.NegativeInfinity, hi = float.PositiveInfinity;
        if (g.Model.OpsetFor(string.Empty) < 11)
        {
            lo = n.Attributes.GetFloat("min", lo);
            hi = n.Attributes.GetFloat("max", hi);
        }
        else
        {
            for (int i = 1; i < n.Inputs.Count; i++)
            {
                if (!n.HasInput(i))
                {
                    continue;
                }

                if (!g.TryScalar(n.Inputs[i], out double bound))
                {
                    return null;
                }

                if (i == 1)
                {
                    lo = (float)bound;
                }
                else
                {
                    hi = (float)bound;
                }
            }
        }

        return new("Clip", [lo, hi], [n], n.Outputs[0]);
    }

    private static FusedActivationMatch? SiLU(FusionGraph g, string x, IReadOnlyList<Node> consumers)
    {
        var sigmoid = consumers.FirstOrDefault(c => c.Domain.Length == 0 && c.OpType == "Sigmoid");
        var mul = consumers.FirstOrDefault(c => c.Domain.Length == 0 && c.OpType == "Mul");
        if (sigmoid is null || mul is null || FusionGraph.Other(mul, x) != sigmoid.Outputs[0] || !g.OnlyFeeds(sigmoid.Outputs[0], mul))
        {
            return null;
        }

        return new("SiLU", [], [sigmoid, mul], mul.Outputs[0]);
    }

    /// <summary>Sets activation / activation_params on a fused node.</summary>
    public void ApplyTo(Node fused)
    {
        fused.Attributes.Set(NodeAttribute.Of("activation", Name));
        if (Params.Length > 0)
        {
            fused.Attributes.Set(NodeAttribute.Of("activation_params", Params));
        }
    }
}
