using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes;

/// <summary>
/// Layout: moves a Transpose below the elementwise op that reads it, so transposes travel towards each other and
/// cancel or compose (the chain rule runs again after this pass). For elementwise f and y = Transpose(x, p):
/// f(Transpose(x, p)) = Transpose(f(x), p); for a binary op g, g(Transpose(a, p), Transpose(b, p)) =
/// Transpose(g(a, b), p), and g(Transpose(a, p), c) = Transpose(g(a, c'), p) with c' = Transpose(c, p⁻¹) for a
/// constant c of full rank (a one-element constant broadcasts the same either way and stays). Two transposes
/// become one in the binary case; otherwise the work is unchanged. Only single-use transposes move.
/// </summary>
public sealed class PushTransposesDown : NodeRewritePass
{
    private static readonly HashSet<string> s_unary =
    [
        "Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Cast", "Ceil", "Celu", "Cos", "Cosh", "Elu", "Erf",
        "Exp", "Floor", "HardSigmoid", "HardSwish", "IsInf", "IsNaN", "LeakyRelu", "Log", "Mish", "Neg", "Not",
        "Reciprocal", "Relu", "Round", "Selu", "Sigmoid", "Sign", "Sin", "Sinh", "Softplus", "Softsign", "Sqrt", "Tan",
        "Tanh", "ThresholdedRelu",
    ];

    private static readonly HashSet<string> s_binary =
    [
        "Add", "And", "Div", "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "Max", "Min", "Mul", "Or",
        "Pow", "Sub", "Sum", "Xor",
    ];

    public override string Name => "push-transposes-down";

    public override OptimizationLevel Level => OptimizationLevel.Layout;

    protected override bool TryRewrite(GraphEditor editor, Node node)
    {
        if (node.Domain.Length != 0 || node.Outputs.Count != 1 || node.Subgraphs().Any())
        {
            return false;
        }

        if (s_unary.Contains(node.OpType) || (node.OpType == "Clip" && ScalarOperands(editor, node, from: 1)))
        {
            return node.HasInput(0) && SingleUseTranspose(editor, node.Inputs[0]) is { } t && MoveBelow(editor, node, t);
        }

        if (!s_binary.Contains(node.OpType) || node.Inputs.Count != 2 || !node.HasInput(0) || !node.HasInput(1))
        {
            return false;
        }

        var left = SingleUseTranspose(editor, node.Inputs[0]);
        var right = SingleUseTranspose(editor, node.Inputs[1]);
        if (left is not null && right is not null && node.Inputs[0] != node.Inputs[1])
        {
            if (!Perm(left).SequenceEqual(Perm(right)) || editor.RankOf(left.Inputs[0]) != editor.RankOf(right.Inputs[0]))
            {
                return false;
            }

            node.Inputs[1] = right.Inputs[0];
            editor.RemoveNode(right);
            editor.Graph.ValueInfos.Remove(right.Outputs[0]);
            return MoveBelow(editor, node, left);
        }

        // One transposed operand and a constant other operand.
        int k = left is not null ? 0 : right is not null ? 1 : -1;
        if (k < 0)
        {
            return false;
        }

        var transpose = (k == 0 ? left : right)!;
        long[] perm = Perm(transpose);
        if (editor.Constant(node.Inputs[1 - k]) is not { } c)
        {
            return false;
        }

        if (c.Length == 1 && c.Rank <= perm.Length)
        {
            return MoveBelow(editor, node, transpose);
        }

        if (c.Rank != perm.Length || c is StringTensor)
        {
            return false;
        }

        // c' = Transpose(c, p⁻¹), computed by the provider's own Transpose kernel (constant folding's evaluator).
        var inverse = new Node("Transpose", [node.Inputs[1 - k]], [editor.FreshName(node.Inputs[1 - k] + "_untransposed")], editor.FreshName("untranspose"));
        inverse.Attributes.Set(NodeAttribute.Of("perm", Inverse(perm)));
        if (editor.Context.Evaluator?.TryEvaluate(inverse, [c], (int)editor.Model.OpsetFor(string.Empty)) is not [var untransposed])
        {
            return false;
        }

        node.Inputs[1 - k] = editor.AddInitializer(inverse.Outputs[0], untransposed);
        return MoveBelow(editor, node, transpose);
    }

    /// <summary>The Transpose with an explicit perm that produces <paramref name="name"/> and feeds nothing else.</summary>
    private static Node? SingleUseTranspose(GraphEditor editor, string name) =>
        editor.Producer(name) is { OpType: "Transpose", Domain.Length: 0 } t && t.Outputs.Count == 1 && t.Attributes.GetInts("perm") is not null && editor.HasSingleUse(name)
            ? t
            : null;

    private static bool ScalarOperands(GraphEditor editor, Node node, int from)
    {
        for (int i = from; i < node.Inputs.Count; i++)
        {
            if (node.HasInput(i) && editor.Constant(node.Inputs[i]) is not { Length: 1 })
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// node reads transpose's output t; afterwards node reads transpose's input and writes a fresh value u, and the
    /// transpose turns u into node's old output (the same value, so readers and graph outputs keep their names).
    /// </summary>
    private static bool MoveBelow(GraphEditor editor, Node node, Node transpose)
    {
        string t = transpose.Outputs[0];
        string y = node.Outputs[0];
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            if (node.Inputs[i] == t)
            {
                node.Inputs[i] = transpose.Inputs[0];
            }
        }

        string u = editor.FreshName(y + "_untransposed");
        node.Outputs[0] = u;
        transpose.Inputs[0] = u;
        transpose.Outputs[0] = y;
        editor.Graph.ValueInfos.Remove(t);
        editor.Graph.ValueInfos.Remove(y);

        // The transpose now runs after the node: place it right behind (the node's inputs were all defined before
        // the transpose's old position, and only the node read t).
        editor.Graph.Nodes.Remove(transpose);
        editor.Graph.Nodes.Insert(editor.Graph.Nodes.IndexOf(node) + 1, transpose);
        editor.Invalidate();
        return true;
    }

    private static long[] Perm(Node transpose) => transpose.Attributes.GetInts("perm")!;

    private static long[] Inverse(long[] perm)
    {
        var inverse = new long[perm.Length];
        for (int i = 0; i < perm.Length; i++)
        {
            inverse[perm[i]] = i;
        }

        return inverse;
    }
}
