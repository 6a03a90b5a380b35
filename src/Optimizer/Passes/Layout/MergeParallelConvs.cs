using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Fusion;

namespace OpenAutoGlm.Optimizer.Passes.Layout;

/// <summary>
/// A channel Concat of blocked convolutions that share their input (SqueezeNet's fire modules: a 1x1 and a 3x3
/// expand over the same squeeze output) becomes one ai.autoglm NchwcConv whose W stacks the branches' weights, each
/// kernel zero-padded into the largest one so that it stays centred (as in RepVGG: a branch with kernel k and pads p
/// fits when the merged pads P satisfy P - p ≥ 0 on both sides and P_begin - p_begin + k + P_end - p_end = K) and whose
/// bias stacks their biases. The Concat's copy goes: the CPU kernel finds the output blocks whose nonzero taps fit a
/// smaller window and runs each as its own convolution into its blocks of the output (docs/cpu-kernels.md), so the
/// zero taps cost nothing. Every branch is a group-1 NchwcConv over the same blocked input, read only by the Concat,
/// without a residual, with constant float32 W (and B), equal strides, dilations and activation, and no auto_pad.
/// Runs after convert-to-nchwc, only where a provider claims NchwcConv.
/// </summary>
public sealed class MergeParallelConvs : IGraphPass
{
    public string Name => "merge-parallel-convs";

    /// <summary>Lets benchmarks compare sessions made with and without the merge (read when a session is optimized).</summary>
    internal static bool Enabled { get; set; } = true;

    public OptimizationLevel Level => OptimizationLevel.Layout;

    public bool Apply(Model model, PassContext context) => Enabled && NchwcFusion.Run(model, context, n => n.Domain.Length == 0 && n.OpType == "Concat", TryMerge);

    private static void TryMerge(FusionGraph g, Node concat)
    {
        if (concat.Attributes.GetInt("axis", 0) != 1 || concat.Inputs.Count < 2 || g.ShapeOf(concat.Outputs[0]) is not { Rank: 5 })
        {
            return;
        }

        var convs = new List<Node>();
        foreach (string input in concat.Inputs)
        {
            if (g.Producer(input) is not { } conv || !NchwcFusion.IsNchwcConv(conv) || !g.OnlyFeeds(input, concat) || conv.HasInput(3)
                || g.Constant(conv.Inputs[1]) is not { DataType: DataType.Float32, Rank: 4 }
                || (conv.HasInput(2) && g.Constant(conv.Inputs[2]) is not { DataType: DataType.Float32, Rank: 1 }))
            {
                return;
            }

            convs.Add(conv);
        }

        var first = convs[0];
        if (g.ShapeOf(first.Inputs[0]) is not { Rank: 5 } || convs.Any(c => c.Inputs[0] != first.Inputs[0] || !SameSettings(c, first)))
        {
            return;
        }

        var reference = convs.MaxBy(c => g.Constant(c.Inputs[1])!.Dims[2] * g.Constant(c.Inputs[1])!.Dims[3])!;
        var refW = g.Constant(reference.Inputs[1])!;
        int cin = refW.Dims[1], kh = refW.Dims[2], kw = refW.Dims[3];
        long[] refPads = reference.Attributes.GetInts("pads") ?? [0, 0, 0, 0];
        int total = convs.Sum(c => g.Constant(c.Inputs[1])!.Dims[0]);
        if (refPads.Length != 4)
        {
            return;
        }

        var weight = new float[(long)total * cin * kh * kw];
        var bias = new float[total];
        int o0 = 0;
        foreach (var conv in convs)
        {
            var w = g.Constant(conv.Inputs[1])!;
            int m = w.Dims[0], bh = w.Dims[2], bw = w.Dims[3];
            long[] pads = conv.Attributes.GetInts("pads") ?? [0, 0, 0, 0];
            if (w.Dims[1] != cin || KernelEmbedding.Offset(refPads, kh, kw, pads, bh, bw) is not { } at)
            {
                return;
            }

            KernelEmbedding.AddInto(w.AsReadOnlySpan<float>(), m, cin, bh, bw, weight, o0, kh, kw, at.Top, at.Left);

            if (conv.HasInput(2))
            {
                var b = g.Constant(conv.Inputs[2])!.AsReadOnlySpan<float>();
                if (b.Length != m)
                {
                    return;
                }

                b.CopyTo(bias.AsSpan(o0, m));
            }

            o0 += m;
        }

        string wName = g.AddInitializer("merged_conv_weight", Tensor.Create(weight, total, cin, kh, kw));
        string bName = g.AddInitializer("merged_conv_bias", Tensor.Create(bias, total));
        var merged = new Node("NchwcConv", [first.Inputs[0], wName, bName], [concat.Outputs[0]], g.UniqueName("NchwcConv"), OpSchemas.AutoGlmDomain);
        foreach (var a in reference.Attributes)
        {
            merged.Attributes.Set(a);
        }

        merged.Attributes.Set(NodeAttribute.Of("pads", refPads));
        if (merged.Attributes.Contains("kernel_shape"))
        {
            merged.Attributes.Set(NodeAttribute.Of("kernel_shape", new long[] { kh, kw }));
        }

        if (!g.TryReplace([.. convs, concat], merged))
        {
            g.Graph.Initializers.Remove(wName);
            g.Graph.Initializers.Remove(bName);
        }
    }

    /// <summary>Group 1, no auto_pad, and the same strides, dilations and activation as <paramref name="other"/>.</summary>
    private static bool SameSettings(Node conv, Node other)
    {
        var a = conv.Attributes;
        var b = other.Attributes;
        return a.GetInt("group", 1) == 1 && a.GetString("auto_pad", "NOTSET") == "NOTSET"
            && (a.GetInts("strides") ?? [1, 1]).SequenceEqual(b.GetInts("strides") ?? [1, 1])
            && (a.GetInts("dilations") ?? [1, 1]).SequenceEqual(b.GetInts("dilations") ?? [1, 1])
            && a.GetString("activation", string.Empty) == b.GetString("activation", string.Empty)
            && (a.GetFloats("activation_params") ?? []).SequenceEqual(b.GetFloats("activation_params") ?? []);
    }
}
