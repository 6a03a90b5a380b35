using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Transpose chains: z = Transpose(Transpose(x, p1), p2) is Transpose(x, p) with p[i] = p1[p2[i]]
/// (z.shape[i] = x.shape[p1[p2[i]]]); when p is the identity (or a single Transpose's perm is), the
/// transposes are removed. A missing perm (reverse the axes) needs the input rank.
/// </summary>
public sealed class FuseTransposeChains : NodeRewritePass
{
    private readonly OptimizationLevel _level;

    /// <summary>Runs at <paramref name="level"/>: basic, and again at layout after transposes were pushed down.</summary>
    public FuseTransposeChains(OptimizationLevel level = OptimizationLevel.Basic)
    {
        _level = level;
    }

    public override string Name => _level == OptimizationLevel.Basic ? "fuse-transpose-chains" : "cancel-pushed-transposes";

    public override OptimizationLevel Level => _level;

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (!IsTranspose(node) || Perm(editor, node) is not { } p2)
        {
            return false;
        }

        if (IsIdentity(p2))
        {
            return editor.Bypass(node, node.Inputs[0]);
        }

        if (editor.Producer(node.Inputs[0]) is not { } first || !IsTranspose(first) || Perm(editor, first) is not { } p1 || p1.Length != p2.Length)
        {
            return false;
        }

        var p = p2.Select(i => p1[i]).ToArray();
        if (IsIdentity(p))
        {
            return editor.Bypass(node, first.Inputs[0]);
        }

        node.Inputs[0] = first.Inputs[0];
        node.Attributes.Set(NodeAttribute.Of("perm", p));
        editor.Invalidate();
        return true;
    }

    private static long[]? Perm(GraphEditor editor, Node node)
    {
        if (node.Attributes.GetInts("perm") is { } perm)
        {
            return perm;
        }

        return editor.RankOf(node.Inputs[0]) is { } rank ? Enumerable.Range(0, rank).Select(i => (long)(rank - 1 - i)).ToArray() : null;
    }

    private static bool IsIdentity(long[] perm) => perm.Select((v, i) => v == i).All(b => b);

    private static bool IsTranspose(Node node) =>
        node.Domain.Length == 0 && node.OpType == "Transpose" && node.HasInput(0) && node.Outputs.Count == 1;
}
