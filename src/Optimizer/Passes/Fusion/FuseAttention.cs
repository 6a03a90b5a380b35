using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// Scaled dot-product attention as PyTorch exports it → ai.autoglm Attention. The core, matched from Softmax:
/// MatMul(Q', Kᵀ) → [Div/Mul by a constant] → [Add(mask)] → Softmax(last axis) → MatMul(·, V), with an optional
/// constant pre-scale of Q' or Kᵀ (nn.MultiheadAttention divides Q first). Kᵀ must be a Transpose (its source with the
/// last two axes swapped back is K). Then, for rank-4 operands:
/// <list type="bullet">
/// <item>K = Concat(past_key, K_new, axis 2) and V = Concat(past_value, V_new, axis 2) (GPT-2's KV cache) become the
/// past inputs, and the Concat outputs (present) become outputs 1 and 2 under their names;</item>
/// <item>when Q, K, V are each Transpose(Reshape(x [B, S, H*D] → [B, S, H, D]), [0, 2, 1, 3]) and the result goes
/// through Transpose([0, 2, 1, 3]) → Reshape to rank 3 (BERT, GPT-2), the node works on the rank-3 tensors directly
/// (num_heads = H), otherwise on the rank-4 [B, H, S, D] tensors.</item>
/// </list>
/// Rank-3 operands ([B*H, S, D], nn.MultiheadAttention) map to num_heads = 1 with a mask of rank ≤ 2.
/// </summary>
public sealed class FuseAttention : IGraphPass
{
    public string Name => "fuse-attention";

    public OptimizationLevel Level => OptimizationLevel.Extended;

    public bool Apply(Model model, PassContext context)
    {
        if (context.CanRun is null)
        {
            return false;
        }

        var g = new FusionGraph(model, context);
        foreach (var softmax in g.Graph.Nodes.ToList())
        {
            if (softmax is { Domain: "", OpType: "Softmax" } && g.Graph.Nodes.Contains(softmax))
            {
                TryFuse(g, softmax);
            }
        }

        return g.Fused > 0;
    }

    private static void TryFuse(FusionGraph g, Node softmax)
    {
        var scoresShape = g.ShapeOf(softmax.Inputs[0]);
        if (scoresShape is null || scoresShape.Rank is not (3 or 4))
        {
            return;
        }

        int rank = scoresShape.Rank;
        long axis = softmax.Attributes.GetInt("axis", g.Model.DefaultOpset >= 13 ? -1 : 1);
        if (axis != -1 && axis != rank - 1)
        {
            return;
        }

        var pv = g.SoleConsumer(softmax.Outputs[0], "MatMul");
        if (pv is null || pv.Inputs[0] != softmax.Outputs[0])
        {
            return;
        }

        var nodes = new List<Node> { softmax, pv };
        string scores = softmax.Inputs[0];
        string? mask = null;
        if (g.Producer(scores, "Add") is { } addMask && g.OnlyFeeds(scores, softmax))
        {
            foreach (var (s, m) in new[] { (addMask.Inputs[0], addMask.Inputs[1]), (addMask.Inputs[1], addMask.Inputs[0]) })
            {
                if (g.Producer(s) is { Domain: "", OpType: "MatMul" or "Div" or "Mul" } && g.OnlyFeeds(s, addMask))
                {
                    nodes.Add(addMask);
                    scores = s;
                    mask = m;
                    break;
                }
            }
        }

        double scale = 1;
        if (TakeScale(g, ref scores, ref scale) is { } scaleNode)
        {
            nodes.Add(scaleNode);
        }

        var qk = g.Producer(scores, "MatMul");
        if (qk is null || g.Consumers(scores).Count != 1 || g.IsPinned(scores))
        {
            return;
        }

        nodes.Add(qk);
        string q = qk.Inputs[0], kt = qk.Inputs[1];
        if (TakeScale(g, ref q, ref scale) is { } qScale)
        {
            nodes.Add(qScale);
        }

        if (TakeScale(g, ref kt, ref scale) is { } kScale)
        {
            nodes.Add(kScale);
        }

        if (g.ShapeOf(q)?.Rank != rank || g.Producer(kt, "Transpose") is not { } kTranspose)
        {
            return;
        }

        nodes.Add(kTranspose);
        long[] perm = kTranspose.Attributes.GetInts("perm") ?? [.. Enumerable.Range(0, rank).Reverse().Select(i => (long)i)];
        if (perm.Length != rank)
        {
            return;
        }

        // Kᵀ = transpose(X, perm), so K = transpose(Kᵀ, swap last two) = transpose(X, kPerm) with kPerm = perm ∘ swap.
        long[] kPerm = [.. perm];
        (kPerm[rank - 2], kPerm[rank - 1]) = (perm[rank - 1], perm[rank - 2]);
        string kSource = kTranspose.Inputs[0];
        string v = pv.Inputs[1];
        string pastK = string.Empty, pastV = string.Empty, presentK = string.Empty, presentV = string.Empty;
        if (rank == 4 && IsIdentity(kPerm) && g.Producer(kSource, "Concat") is { } catK && g.Producer(v, "Concat") is { } catV
            && IsKvConcat(catK) && IsKvConcat(catV))
        {
            pastK = catK.Inputs[0];
            pastV = catV.Inputs[0];
            presentK = catK.Outputs[0];
            presentV = catV.Outputs[0];
            kSource = catK.Inputs[1];
            v = catV.Inputs[1];
            nodes.Add(catK);
            nodes.Add(catV);
        }

        string output = pv.Outputs[0];
        int numHeads = rank == 4 ? 0 : 1;
        var added = new List<Node>();
        string k;
        if (rank == 4 && HeadSplitSource(g, q, [0, 2, 1, 3]) is { } q3 && (IsIdentity(kPerm) ? HeadSplitSource(g, kSource, [0, 2, 1, 3]) : kPerm.SequenceEqual([0L, 2, 1, 3]) ? HeadMergeReshapeSource(g, kSource) : null) is { } k3
            && HeadSplitSource(g, v, [0, 2, 1, 3]) is { } v3 && HeadMerge(g, output) is { } merged && g.ShapeOf(g.Producer(q)!.Inputs[0])?[2].Value is long h)
        {
            (q, k, v) = (q3, k3, v3);
            numHeads = (int)h;
            nodes.AddRange(merged.Nodes);
            output = merged.Output;
        }
        else if (IsIdentity(kPerm))
        {
            k = kSource;
        }
        else
        {
            var transpose = new Node("Transpose", [kSource], [g.UniqueName("attention_k")], g.UniqueName("Transpose"));
            transpose.Attributes.Set(NodeAttribute.Of("perm", kPerm));
            added.Add(transpose);
            k = transpose.Outputs[0];
        }

        if (mask is not null && (g.ElementTypeOf(mask) != DataType.Float32 || g.ShapeOf(mask) is not { } maskShape || maskShape.Rank > (rank == 3 ? 2 : 4)))
        {
            return;
        }

        var attention = new Node("Attention", [q, k, v, mask ?? string.Empty, pastK, pastV], [output, presentK, presentV], g.UniqueName("Attention"), OpSchemas.AutoGlmDomain);
        while (attention.Inputs.Count > 3 && attention.Inputs[^1].Length == 0)
        {
            attention.Inputs.RemoveAt(attention.Inputs.Count - 1);
        }

        while (attention.Outputs.Count > 1 && attention.Outputs[^1].Length == 0)
        {
            attention.Outputs.RemoveAt(attention.Outputs.Count - 1);
        }

        if (numHeads > 0)
        {
            attention.Attributes.Set(NodeAttribute.Of("num_heads", (long)numHeads));
        }

        attention.Attributes.Set(NodeAttribute.Of("scale", (float)scale));
        added.Add(attention);
        g.TryReplace(nodes, [.. added]);
    }

    /// <summary>Peels Div(x, c) / Mul(x, c) / Mul(c, x) with a constant scalar c off <paramref name="value"/>, folding it into the scale.</summary>
    private static Node? TakeScale(FusionGraph g, ref string value, ref double scale)
    {
        var p = g.Producer(value);
        if (p is not { Domain: "", OpType: "Div" or "Mul" } || g.Consumers(value).Count != 1 || g.IsPinned(value))
        {
            return null;
        }

        if (p.OpType == "Div" && g.TryScalar(p.Inputs[1], out double d) && d != 0)
        {
            scale /= d;
            value = p.Inputs[0];
            return p;
        }

        if (p.OpType == "Mul")
        {
            for (int i = 0; i < 2; i++)
            {
                if (g.TryScalar(p.Inputs[i], out double m))
                {
                    scale *= m;
                    value = p.Inputs[1 - i];
                    return p;
                }
            }
        }

        return null;
    }

    private static bool IsIdentity(long[] perm) => perm.Select((p, i) => p == i).All(b => b);

    private static bool IsKvConcat(Node concat) =>
        concat.Inputs.Count == 2 && concat.Attributes.GetInt("axis", 0) is 2 or -2;

    /// <summary>x [B, S, H*D] when <paramref name="value"/> = Transpose(Reshape(x → [B, S, H, D]), perm).</summary>
    private static string? HeadSplitSource(FusionGraph g, string value, long[] perm) =>
        g.Producer(value, "Transpose") is { } t && (t.Attributes.GetInts("perm") ?? []).SequenceEqual(perm) ? HeadMergeReshapeSource(g, t.Inputs[0]) : null;

    /// <summary>x [B, S, H*D] when <paramref name="value"/> = Reshape(x) of shape [B, S, H, D].</summary>
    private static string? HeadMergeReshapeSource(FusionGraph g, string value) =>
        g.Producer(value, "Reshape") is { } r && g.ShapeOf(r.Inputs[0])?.Rank == 3 && g.ShapeOf(value) is { Rank: 4 } s && s[2].IsKnown && s[3].IsKnown
            && g.ShapeOf(r.Inputs[0])![2].Value is long hd && hd == s[2].Value * s[3].Value ? r.Inputs[0] : null;

    /// <summary>The attention output [B, H, S, Dv] going through Transpose([0, 2, 1, 3]) and Reshape to [B, S, H*Dv].</summary>
    private static (List<Node> Nodes, string Output)? HeadMerge(FusionGraph g, string value)
    {
        var t = g.SoleConsumer(value, "Transpose");
        if (t is null || !(t.Attributes.GetInts("perm") ?? []).SequenceEqual([0L, 2, 1, 3]))
        {
            return null;
        }

        var r = g.SoleConsumer(t.Outputs[0], "Reshape");
        var inShape = g.ShapeOf(value);
        if (r is null || g.ShapeOf(r.Outputs[0]) is not { Rank: 3 } outShape || inShape is null || inShape.Rank != 4
            || inShape[1].Value is not long h || inShape[3].Value is not long dv || outShape[2].Value != h * dv)
        {
            return null;
        }

        return ([t, r], r.Outputs[0]);
    }
}
