using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// Conv → Add(residual Z) → activation, either part optional but not both, → ai.autoglm FusedConv (Conv's inputs and
/// attributes kept, Z as input 3). Z must be a non-constant value whose inferred shape equals the Conv output's, so
/// the Add did not broadcast.
/// </summary>
public sealed class FuseConvActivation : FusionPass
{
    public override string Name => "fuse-conv-activation";

    private protected override void Visit(FusionGraph g, Node node)
    {
        if (node.OpType == "Conv")
        {
            TryFuse(g, node);
        }
    }

    private static void TryFuse(FusionGraph g, Node conv)
    {
        string output = conv.Outputs[0];
        var nodes = new List<Node> { conv };
        string? z = null;
        if (g.SoleConsumer(output, "Add") is { } add && FusionGraph.Other(add, output) is { } other && other != output
            && g.Constant(other) is null && FusionGraph.SameShape(g.ShapeOf(other), g.ShapeOf(output)))
        {
            z = other;
            nodes.Add(add);
            output = add.Outputs[0];
        }

        var act = FusedActivationMatch.After(g, output);
        if (z is null && act is null)
        {
            return;
        }

        string[] inputs = [conv.Inputs[0], conv.Inputs[1], conv.InputOrEmpty(2), z ?? string.Empty];
        var fused = new Node("FusedConv", z is null ? inputs.Take(conv.HasInput(2) ? 3 : 2) : inputs, [act?.Output ?? output], g.UniqueName("FusedConv"), OpSchemas.AutoGlmDomain);
        foreach (var a in conv.Attributes)
        {
            fused.Attributes.Set(a);
        }

        act?.ApplyTo(fused);
        g.TryReplace([.. nodes, .. act?.Nodes ?? []], fused);
    }
}
