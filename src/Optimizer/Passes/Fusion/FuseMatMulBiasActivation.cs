using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// MatMul → Add(constant bias [N]) → activation, either part optional but not both, → ai.autoglm FusedMatMul; and
/// Gemm → activation → ai.autoglm FusedGemm (Gemm's inputs and attributes kept). The bias must be a float32 rank-1
/// constant whose length is B's last dimension (so it broadcasts along Y's last axis exactly like the Add did).
/// </summary>
public sealed class FuseMatMulBiasActivation : FusionPass
{
    public override string Name => "fuse-matmul-bias-activation";

    private protected override void Visit(FusionGraph g, Node node)
    {
        if (node.OpType == "MatMul")
        {
            TryMatMul(g, node);
        }
        else if (node.OpType == "Gemm" && FusedActivationMatch.After(g, node.Outputs[0]) is { } act)
        {
            var fused = new Node("FusedGemm", node.Inputs, [act.Output], g.UniqueName("FusedGemm"), OpSchemas.AutoGlmDomain);
            foreach (var a in node.Attributes)
            {
                fused.Attributes.Set(a);
            }

            act.ApplyTo(fused);
            g.TryReplace([node, .. act.Nodes], fused);
        }
    }

    private static void TryMatMul(FusionGraph g, Node matmul)
    {
        string output = matmul.Outputs[0];
        var nodes = new List<Node> { matmul };
        string? bias = null;
        long? n = g.ShapeOf(matmul.Inputs[1]) is { Rank: >= 2 } bShape ? bShape[bShape.Rank - 1].Value : null;
        if (n is not null && g.SoleConsumer(output, "Add") is { } add && FusionGraph.Other(add, output) is { } b
            && g.Constant(b) is { DataType: DataType.Float32, Rank: 1 } bt && bt.Length == n)
        {
            bias = b;
            nodes.Add(add);
            output = add.Outputs[0];
        }

        var act = FusedActivationMatch.After(g, output);
        if (bias is null && act is null)
        {
            return;
        }

        var fused = new Node("FusedMatMul", bias is null ? [matmul.Inputs[0], matmul.Inputs[1]] : [matmul.Inputs[0], matmul.Inputs[1], bias], [act?.Output ?? output], g.UniqueName("FusedMatMul"), OpSchemas.AutoGlmDomain);
        act?.ApplyTo(fused);
        g.TryReplace([.. nodes, .. act?.Nodes ?? []], fused);
    }
}
