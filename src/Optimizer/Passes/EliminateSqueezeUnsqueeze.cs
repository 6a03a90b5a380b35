using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Unsqueeze(Squeeze(x, a), b) and Squeeze(Unsqueeze(x, a), b) are x when a and b name the same axes (both
/// normalized against x's rank for the first form and the unsqueezed rank for the second). Axes come from the
/// attribute (opset &lt; 13) or a constant input; a Squeeze without axes is left alone.
/// </summary>
public sealed class EliminateSqueezeUnsqueeze : NodeRewritePass
{
    public override string Name => "eliminate-squeeze-unsqueeze";

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        bool outerIsUnsqueeze = Is(node, "Unsqueeze");
        if (!outerIsUnsqueeze && !Is(node, "Squeeze"))
        {
            return false;
        }

        if (editor.Producer(node.Inputs[0]) is not { } inner || !Is(inner, outerIsUnsqueeze ? "Squeeze" : "Unsqueeze"))
        {
            return false;
        }

        if (Axes(editor, node) is not { } outerAxes || Axes(editor, inner) is not { } innerAxes || outerAxes.Length != innerAxes.Length)
        {
            return false;
        }

        // The rank both axis lists refer to: x's rank around a Squeeze, the unsqueezed rank around an Unsqueeze.
        int? rank = outerIsUnsqueeze
            ? editor.RankOf(inner.Inputs[0])
            : editor.RankOf(inner.Inputs[0]) + innerAxes.Length;
        if (rank is not { } r)
        {
            return false;
        }

        var a = Normalize(innerAxes, r);
        var b = Normalize(outerAxes, r);
        if (a is null || b is null || !a.SetEquals(b) || a.Count != innerAxes.Length)
        {
            return false;
        }

        return editor.Bypass(node, inner.Inputs[0]);
    }

    private static HashSet<long>? Normalize(long[] axes, int rank)
    {
        var set = new HashSet<long>();
        foreach (var axis in axes)
        {
            long n = axis < 0 ? axis + rank : axis;
            if (n < 0 || n >= rank)
            {
                return null;
            }

            set.Add(n);
        }

        return set;
    }

    private static long[]? Axes(GraphEditor editor, Node node) =>
        node.Attributes.GetInts("axes") ?? (node.HasInput(1) ? editor.Constant(node.Inputs[1])?.ToInt64Array() : null);

    private static bool Is(Node node, string op) =>
        node.Domain.Length == 0 && node.OpType == op && node.HasInput(0) && node.Outputs.Count == 1;
}
