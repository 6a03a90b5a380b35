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
public sealed class FuseAttention : FusionPass
{
    public override string Name => "fuse-attention";

    private protected override void Visit(FusionGraph g, Node node)
    {
        if (node.OpType == "Softmax")
        {
            TryFuse(g, node);
        }
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
        var rewire = new List<(Node, int, string)>();
        string k;
        var qSplit = rank == 4 ? HeadSplitSource(g, q, [0, 2, 1, 3]) : null;
        var kSplit = rank != 4 ? null : IsIdentity(kPerm) ? HeadSplitSource(g, kSource, [0, 2, 1, 3]) : kPerm.SequenceEqual([0L, 2, 1, 3]) ? HeadSplitReshape(g, kSource) : null;
        var vSplit = rank == 4 ? HeadSplitSource(g, v, [0, 2, 1, 3]) : null;
        if (qSplit is { } qs && kSplit is { } ks && vSplit is { } vs && qs.Heads == ks.Heads && qs.Heads == vs.Heads && qs.HeadSize == ks.HeadSize
            && HeadMerge(g, output, qs.Heads * vs.HeadSize) is { } merged)
        {
            (q, k, v) = (qs.Source, ks.Source, vs.Source);
            numHeads = (int)qs.Heads;
            nodes.AddRange(merged.Nodes);
            output = merged.Output;
            rewire.AddRange(merged.ShapeReaders.Select(n => (n, 0, q)));
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
        g.TryReplace(nodes, rewire, [.. added]);
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
    private static (string Source, long Heads, long HeadSize)? HeadSplitSource(FusionGraph g, string value, long[] perm) =>
        g.Producer(value, "Transpose") is { } t && (t.Attributes.GetInts("perm") ?? []).SequenceEqual(perm) ? HeadSplitReshape(g, t.Inputs[0]) : null;

    /// <summary>
    /// x when <paramref name="value"/> = Reshape(x [B, S, H*D]) to [B, S, H, D] with H and D known (from shape inference or
    /// the constant parts of the target) and the first two target dims B and S (see <see cref="KeepsLeadingDims"/>).
    /// </summary>
    private static (string Source, long Heads, long HeadSize)? HeadSplitReshape(FusionGraph g, string value)
    {
        if (g.Producer(value, "Reshape") is not { } r || g.ShapeOf(r.Inputs[0]) is not { Rank: 3 } x || x[2].Value is not long hidden
            || ReshapeTarget(g, r, value) is not { Length: 4 } target || target[2] is not long h || target[3] is not long d || h * d != hidden
            || !KeepsLeadingDims(g, r, x))
        {
            return null;
        }

        return (r.Inputs[0], h, d);
    }

    /// <summary>
    /// The attention output [B, H, S, Dv] going through Transpose([0, 2, 1, 3]) and Reshape to [B, S, H*Dv]. The transposed
    /// value may also feed Shape nodes whose results are only gathered at index 0 or 1 (B, S for the Reshape target, as
    /// BERT's export does); those can read the rank-3 Q instead, which has the same leading dims.
    /// </summary>
    private static (List<Node> Nodes, string Output, List<Node> ShapeReaders)? HeadMerge(FusionGraph g, string value, long merged)
    {
        var t = g.SoleConsumer(value, "Transpose");
        if (t is null || !(t.Attributes.GetInts("perm") ?? []).SequenceEqual([0L, 2, 1, 3]) || g.IsPinned(t.Outputs[0]))
        {
            return null;
        }

        var readers = g.Consumers(t.Outputs[0]);
        var r = readers.FirstOrDefault(n => n is { Domain: "", OpType: "Reshape" } && n.Inputs[0] == t.Outputs[0]);
        var shapeReaders = readers.Where(n => n != r).ToList();
        if (r is null || !shapeReaders.All(n => IsLeadingDimsShape(g, n))
            || ReshapeTarget(g, r, r.Outputs[0]) is not { Length: 3 } target || target[2] != merged || !KeepsLeadingDims(g, r, g.ShapeOf(t.Outputs[0])))
        {
            return null;
        }

        return ([t, r], r.Outputs[0], shapeReaders);
    }

    /// <summary>A full Shape node whose result is only read by Gather(axis 0) at constant index 0 or 1.</summary>
    private static bool IsLeadingDimsShape(FusionGraph g, Node n) =>
        n is { Domain: "", OpType: "Shape" } && !n.Attributes.Contains("start") && !n.Attributes.Contains("end") && !g.IsPinned(n.Outputs[0])
        && g.Consumers(n.Outputs[0]).All(c => c is { Domain: "", OpType: "Gather" } && c.Inputs[0] == n.Outputs[0] && c.Attributes.GetInt("axis", 0) == 0
            && g.Constant(c.Inputs[1]) is { Length: 1 } idx && idx.ToInt64Array()[0] is 0 or 1);

    /// <summary>
    /// The dims a Reshape produces, null where not known: from shape inference, else from the target when it is a
    /// constant or a Concat (axis 0) of constants and one-element pieces (PyTorch's dynamic view(b, s, h, d)).
    /// </summary>
    private static long?[]? ReshapeTarget(FusionGraph g, Node reshape, string output)
    {
        var inferred = g.ShapeOf(output);
        if (g.Constant(reshape.Inputs[1]) is { } constant)
        {
            return constant.ToInt64Array().Select(v => v > 0 ? v : (long?)null).ToArray();
        }

        if (g.Producer(reshape.Inputs[1], "Concat") is not { } concat || concat.Attributes.GetInt("axis", 0) != 0)
        {
            return inferred?.Select(d => d.Value).ToArray();
        }

        var dims = new List<long?>();
        foreach (var piece in concat.Inputs)
        {
            if (g.Constant(piece) is { } c)
            {
                dims.AddRange(c.ToInt64Array().Select(v => v > 0 ? v : (long?)null));
            }
            else if (g.ShapeOf(piece) is { Rank: 1 } ps && ps[0].Value is long n)
            {
                dims.AddRange(Enumerable.Repeat<long?>(null, (int)n));
            }
            else
            {
                return null;
            }
        }

        return dims.ToArray();
    }

    /// <summary>
    /// Whether the Reshape's first two target dims are the input's first two (B, S): known and equal, a 0 (copy) in a
    /// constant target, or, in a Concat target, Unsqueeze(Gather(Shape(t), i)) with i the same position — PyTorch's
    /// x.size(0), x.size(1); the pass assumes t has x's leading dims, which is how these views are written.
    /// </summary>
    private static bool KeepsLeadingDims(FusionGraph g, Node reshape, Shape? input)
    {
        if (g.Constant(reshape.Inputs[1]) is { } constant)
        {
            var values = constant.ToInt64Array();
            return values.Length >= 2 && Enumerable.Range(0, 2).All(i => values[i] == 0 || (input is not null && input[i].Value == values[i]));
        }

        if (g.Producer(reshape.Inputs[1], "Concat") is not { Inputs.Count: >= 2 } concat)
        {
            return false;
        }

        for (int i = 0; i < 2; i++)
        {
            string piece = concat.Inputs[i];
            bool ok = g.Constant(piece) is { Length: 1 } c && (c.ToInt64Array()[0] == 0 || (input is not null && input[i].Value == c.ToInt64Array()[0]));
            if (!ok && g.Producer(piece, "Unsqueeze") is { } u && g.Producer(u.Inputs[0], "Gather") is { } gather
                && g.Producer(gather.Inputs[0], "Shape") is { } shape && !shape.Attributes.Contains("start") && g.Constant(gather.Inputs[1]) is { Length: 1 } idx)
            {
                ok = idx.ToInt64Array()[0] == i;
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
