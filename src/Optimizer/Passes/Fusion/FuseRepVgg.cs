using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// RepVGG re-parameterization: a sum (tree of Adds) of parallel 2-D branches over one input X, each a
/// Conv(X, W, b) optionally followed by BatchNormalization, a BatchNormalization(X) or X itself (identity), becomes one
/// Conv. BN folds into its branch (W' = W·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β); every kernel is zero-padded into the
/// largest K×K kernel so that it stays centered (a branch with kernel k and pads p fits when K's pads P satisfy
/// P − p ≥ 0 on both sides and P_begin − p_begin + k + P_end − p_end = K); the identity is a K×K delta at the center
/// (input channel m for output channel m). All convs share strides and group, have unit dilations and no auto_pad.
/// </summary>
public sealed class FuseRepVgg : FusionPass
{
    public override string Name => "fuse-repvgg";

    private protected override void Visit(FusionGraph g, Node node)
    {
        // Start at the root of an Add tree: an Add not read solely by another Add.
        if (node.OpType == "Add" && g.SoleConsumer(node.Outputs[0], "Add") is null)
        {
            TryFuse(g, node);
        }
    }

    /// <summary>One summand: a conv (+BN) branch, an identity (BN(X), X, or X·s per channel) or a per-channel constant.</summary>
    private sealed record Branch(string Term, Node? Conv, Node? Bn, Node? Scale = null, Tensor? Constant = null);

    private static void TryFuse(FusionGraph g, Node root)
    {
        var adds = new List<Node>();
        var terms = new List<string>();
        Flatten(g, root, adds, terms);
        if (terms.Count < 2)
        {
            return;
        }

        string? x = null;
        var branches = new List<Branch>();
        foreach (var t in terms)
        {
            // A per-channel constant (the shift of a BatchNormalization that decompose-batchnorm split into Mul + Add).
            if (g.Constant(t) is { DataType: DataType.Float32 } shift && IsPerChannel(shift))
            {
                branches.Add(new Branch(t, null, null, Constant: shift));
                continue;
            }

            // X times a per-channel constant (that BatchNormalization's scale).
            if (g.Producer(t, "Mul") is { } mul
                && mul.Inputs.FirstOrDefault(i => g.Constant(i) is { DataType: DataType.Float32 } sc && IsPerChannel(sc)) is { } scaleName
                && FusionGraph.Other(mul, scaleName) is { } scaled)
            {
                if (x is not null && scaled != x)
                {
                    return;
                }

                x = scaled;
                branches.Add(new Branch(t, null, null, Scale: mul));
                continue;
            }

            Node? bn = g.Producer(t, "BatchNormalization") is { } b && IsInferenceBn(g, b) ? b : null;
            string pre = bn?.Inputs[0] ?? t;
            Node? conv = g.Producer(pre, "Conv") is { } c && (bn is null || g.OnlyFeeds(pre, bn)) && g.Constant(c.Inputs[1]) is { DataType: DataType.Float32, Rank: 4 }
                && (!c.HasInput(2) || g.Constant(c.Inputs[2]) is { DataType: DataType.Float32 }) ? c : null;
            string input = conv?.Inputs[0] ?? pre;
            if (x is not null && input != x)
            {
                return;
            }

            x = input;
            branches.Add(new Branch(t, conv, bn));
        }

        var convs = branches.Where(b => b.Conv is not null).Select(b => b.Conv!).ToList();
        if (convs.Count == 0 || x is null || branches.All(b => b.Constant is not null || b.Conv is not null) && convs.Count < 2)
        {
            return;
        }

        var reference = convs.MaxBy(c => g.Constant(c.Inputs[1])!.Dims[2] * g.Constant(c.Inputs[1])!.Dims[3])!;
        var refW = g.Constant(reference.Inputs[1])!;
        int m = refW.Dims[0], cg = refW.Dims[1], kh = refW.Dims[2], kw = refW.Dims[3];
        long group = reference.Attributes.GetInt("group", 1);
        long[] strides = reference.Attributes.GetInts("strides") ?? [1, 1];
        long[] refPads = reference.Attributes.GetInts("pads") ?? [0, 0, 0, 0];
        foreach (var c in convs)
        {
            if (c.Attributes.GetString("auto_pad", "NOTSET") != "NOTSET" || (c.Attributes.GetInts("dilations") ?? [1, 1]).Any(d => d != 1)
                || c.Attributes.GetInt("group", 1) != group || !(c.Attributes.GetInts("strides") ?? [1, 1]).SequenceEqual(strides)
                || g.Constant(c.Inputs[1])!.Dims[0] != m || g.Constant(c.Inputs[1])!.Dims[1] != cg)
            {
                return;
            }
        }

        var weight = new float[m * cg * kh * kw];
        var bias = new float[m];
        foreach (var br in branches)
        {
            if (br.Constant is { } c0)
            {
                var values = PerChannel(c0, m);
                if (values is null)
                {
                    return;
                }

                for (int o = 0; o < m; o++)
                {
                    bias[o] += values[o];
                }

                continue;
            }

            int bh, bw;
            long[] pads;
            float[] w;
            float[] b = new float[m];
            if (br.Conv is { } c)
            {
                var wt = g.Constant(c.Inputs[1])!;
                (bh, bw) = (wt.Dims[2], wt.Dims[3]);
                pads = c.Attributes.GetInts("pads") ?? [0, 0, 0, 0];
                w = wt.AsReadOnlySpan<float>().ToArray();
                if (c.HasInput(2))
                {
                    var bt = g.Constant(c.Inputs[2])!;
                    if (bt.Length != m)
                    {
                        return;
                    }

                    b = bt.AsReadOnlySpan<float>().ToArray();
                }
            }
            else
            {
                // Identity: a 1x1 kernel with weight 1 from input channel m to output channel m (needs C == M, stride 1).
                if (!strides.All(s => s == 1) || g.ShapeOf(x)?[1].Value != m || m % group != 0 || m / group != cg)
                {
                    return;
                }

                (bh, bw) = (1, 1);
                pads = [0, 0, 0, 0];
                w = new float[m * cg];
                var scale = br.Scale is { } mul ? PerChannel(g.Constant(mul.Inputs.First(i => g.Constant(i) is not null))!, m) : null;
                if (br.Scale is not null && scale is null)
                {
                    return;
                }

                for (int o = 0; o < m; o++)
                {
                    w[(o * cg) + (o % cg)] = scale?[o] ?? 1f;
                }
            }

            if (KernelEmbedding.Offset(refPads, kh, kw, pads, bh, bw) is not { } at)
            {
                return;
            }

            if (br.Bn is { } bn && !FoldBn(g, bn, w, b, m))
            {
                return;
            }

            for (int o = 0; o < m; o++)
            {
                bias[o] += b[o];
            }

            KernelEmbedding.AddInto(w, m, cg, bh, bw, weight, 0, kh, kw, at.Top, at.Left);
        }

        string wName = g.AddInitializer("repvgg_weight", Tensor.Create(weight, m, cg, kh, kw));
        string bName = g.AddInitializer("repvgg_bias", Tensor.Create(bias, m));
        var fused = new Node("Conv", [x, wName, bName], [root.Outputs[0]], g.UniqueName("Conv"));
        fused.Attributes.Set(NodeAttribute.Of("kernel_shape", new long[] { kh, kw }));
        fused.Attributes.Set(NodeAttribute.Of("pads", refPads));
        fused.Attributes.Set(NodeAttribute.Of("strides", strides));
        fused.Attributes.Set(NodeAttribute.Of("group", group));
        var nodes = new List<Node>(adds);
        nodes.AddRange(branches.SelectMany(b => new[] { b.Conv, b.Bn, b.Scale }).OfType<Node>());
        if (!g.TryReplace(nodes, fused))
        {
            g.Graph.Initializers.Remove(wName);
            g.Graph.Initializers.Remove(bName);
        }
    }

    /// <summary>Collects the leaves of an Add tree whose inner Adds are read only inside the tree.</summary>
    private static void Flatten(FusionGraph g, Node add, List<Node> adds, List<string> terms)
    {
        adds.Add(add);
        foreach (var input in add.Inputs)
        {
            if (g.Producer(input, "Add") is { } inner && g.OnlyFeeds(input, add))
            {
                Flatten(g, inner, adds, terms);
            }
            else
            {
                terms.Add(input);
            }
        }
    }

    /// <summary>A constant that broadcasts along the channel axis only: one value, [C, 1, 1] or [1, C, 1, 1].</summary>
    private static bool IsPerChannel(Tensor t) =>
        t.Length == 1 || (t.Rank is 3 or 4 && t.Dims[^1] == 1 && t.Dims[^2] == 1 && (t.Rank == 3 || t.Dims[0] == 1));

    /// <summary>The per-channel values for M channels (one value repeated), or null when the length does not fit.</summary>
    private static float[]? PerChannel(Tensor t, int m)
    {
        var values = t.AsReadOnlySpan<float>();
        if (values.Length == 1)
        {
            return Enumerable.Repeat(values[0], m).ToArray();
        }

        return values.Length == m ? values.ToArray() : null;
    }

    private static bool IsInferenceBn(FusionGraph g, Node bn) =>
        bn.Attributes.GetInt("training_mode", 0) == 0 && bn.Outputs.Skip(1).All(o => o.Length == 0)
        && Enumerable.Range(1, 4).All(i => g.Constant(bn.InputOrEmpty(i)) is { DataType: DataType.Float32 });

    /// <summary>w, b (per output channel) ← BN(conv): scale s = γ / √(σ² + ε); w·s; (b − μ)·s + β.</summary>
    private static bool FoldBn(FusionGraph g, Node bn, float[] w, float[] b, int m)
    {
        var gamma = g.Constant(bn.Inputs[1])!.ToDoubleArray();
        var beta = g.Constant(bn.Inputs[2])!.ToDoubleArray();
        var mean = g.Constant(bn.Inputs[3])!.ToDoubleArray();
        var variance = g.Constant(bn.Inputs[4])!.ToDoubleArray();
        if (gamma.Length != m || beta.Length != m || mean.Length != m || variance.Length != m)
        {
            return false;
        }

        double eps = bn.Attributes.GetFloat("epsilon", 1e-5f);
        int per = w.Length / m;
        for (int o = 0; o < m; o++)
        {
            double s = gamma[o] / Math.Sqrt(variance[o] + eps);
            for (int i = 0; i < per; i++)
            {
                w[(o * per) + i] = (float)(w[(o * per) + i] * s);
            }

            b[o] = (float)(((b[o] - mean[o]) * s) + beta[o]);
        }

        return true;
    }
}
