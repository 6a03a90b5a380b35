using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Reshape(Reshape(x, s1), s2) reads x directly when s2 is a constant without 0 entries (a 0 would copy a dim
/// of the intermediate shape); a Reshape whose static output shape equals its static input shape is removed.
/// </summary>
public sealed class FuseReshapeChains : NodeRewritePass
{
    public override string Name => "fuse-reshape-chains";

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (!IsReshape(node))
        {
            return false;
        }

        var inShape = editor.TypeOf(node.Inputs[0])?.Shape;
        var outShape = editor.TypeOf(node.Outputs[0])?.Shape;
        if (inShape is { IsFullyKnown: true } && outShape is { IsFullyKnown: true } && inShape.Equals(outShape))
        {
            return editor.Bypass(node, node.Inputs[0]);
        }

        if (editor.Producer(node.Inputs[0]) is not { } first || !IsReshape(first)
            || editor.Constant(node.Inputs[1]) is not { } target || target.ToInt64Array().Contains(0))
        {
            return false;
        }

        node.Inputs[0] = first.Inputs[0];
        editor.Invalidate();
        return true;
    }

    private static bool IsReshape(Node node) =>
        node.Domain.Length == 0 && node.OpType == "Reshape" && node.HasInput(0) && node.HasInput(1) && node.Outputs.Count == 1;
}
