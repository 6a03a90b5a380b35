using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Fusion;

namespace OpenAutoGlm.Optimizer.Passes.Layout;

/// <summary>
/// A blocked 1x1 convolution read only by a depthwise convolution (the expand and depthwise steps of MobileNetV2's and
/// EfficientNet's inverted residual blocks) becomes one ai.autoglm NchwcExpandDepthwise, which computes the expanded
/// rows a band of depthwise rows needs into a per-thread buffer instead of writing the whole expanded tensor and
/// reading it back (docs/cpu-kernels.md). The 1x1 is a group-1 NchwcConv over a blocked input with unit strides, no
/// pads and no residual; the depthwise a NchwcConv with group = channels, a square 3x3 or 5x5 kernel, equal strides of
/// 1 or 2, unit dilations, pads under the kernel size, no residual and no auto_pad; both have constant float32 weights
/// (and biases). Runs after convert-to-nchwc, only where a provider claims NchwcExpandDepthwise.
/// </summary>
public sealed class FuseExpandDepthwise : IGraphPass
{
    public string Name => "fuse-expand-depthwise";

    /// <summary>Lets benchmarks compare sessions made with and without the fusion (read when a session is optimized).</summary>
    internal static bool Enabled { get; set; } = true;

    public OptimizationLevel Level => OptimizationLevel.Layout;

    public bool Apply(Model model, PassContext context) => Enabled && NchwcFusion.Run(model, context, NchwcFusion.IsNchwcConv, TryFuse);

    private static void TryFuse(FusionGraph g, Node depthwise)
    {
        var a = depthwise.Attributes;
        if (depthwise.HasInput(3) || g.Producer(depthwise.Inputs[0]) is not { } expand || !NchwcFusion.IsNchwcConv(expand) || !g.OnlyFeeds(depthwise.Inputs[0], depthwise)
            || g.Constant(depthwise.Inputs[1]) is not { DataType: DataType.Float32, Rank: 4 } w2 || !ConstantBias(g, depthwise, w2.Dims[0]))
        {
            return;
        }

        int e = w2.Dims[0], k = w2.Dims[2];
        long[] strides = a.GetInts("strides") ?? [1, 1];
        long[] pads = a.GetInts("pads") ?? [0, 0, 0, 0];
        if (a.GetInt("group", 1) != e || w2.Dims[1] != 1 || w2.Dims[3] != k || k is not (3 or 5)
            || strides.Length != 2 || strides[0] != strides[1] || strides[0] is not (1 or 2)
            || (a.GetInts("dilations") ?? [1, 1]).Any(d => d != 1) || a.GetString("auto_pad", "NOTSET") != "NOTSET"
            || pads.Length != 4 || pads.Any(p => p < 0 || p >= k))
        {
            return;
        }

        var b = expand.Attributes;
        if (expand.HasInput(3) || g.ShapeOf(expand.Inputs[0]) is not { Rank: 5 }
            || g.Constant(expand.Inputs[1]) is not { DataType: DataType.Float32, Rank: 4 } w1 || w1.Dims[0] != e || w1.Dims[2] != 1 || w1.Dims[3] != 1
            || !ConstantBias(g, expand, e) || b.GetInt("group", 1) != 1 || b.GetString("auto_pad", "NOTSET") != "NOTSET"
            || (b.GetInts("strides") ?? [1, 1]).Any(s => s != 1) || (b.GetInts("pads") ?? [0, 0, 0, 0]).Any(p => p != 0)
            || (b.GetInts("dilations") ?? [1, 1]).Any(d => d != 1))
        {
            return;
        }

        string B(Node n) => n.HasInput(2) ? n.Inputs[2] : string.Empty;
        var fused = new Node(
            "NchwcExpandDepthwise", [expand.Inputs[0], expand.Inputs[1], B(expand), depthwise.Inputs[1], B(depthwise)], [depthwise.Outputs[0]],
            g.UniqueName("NchwcExpandDepthwise"), OpSchemas.AutoGlmDomain);
        fused.Attributes.Set(NodeAttribute.Of("strides", strides));
        fused.Attributes.Set(NodeAttribute.Of("pads", pads));
        fused.Attributes.Set(NodeAttribute.Of("kernel_shape", new long[] { k, k }));
        CopyActivation(depthwise, fused, string.Empty);
        CopyActivation(expand, fused, "expand_");
        g.TryReplace([expand, depthwise], fused);
    }

    /// <summary>No bias, or a constant float32 [channels] one.</summary>
    private static bool ConstantBias(FusionGraph g, Node conv, int channels) =>
        !conv.HasInput(2) || g.Constant(conv.Inputs[2]) is { DataType: DataType.Float32, Rank: 1 } bias && bias.Dims[0] == channels;

    private static void CopyActivation(Node from, Node to, string prefix)
    {
        string activation = from.Attributes.GetString("activation", string.Empty);
        if (activation.Length > 0)
        {
            to.Attributes.Set(NodeAttribute.Of(prefix + "activation", activation));
        }

        if (from.Attributes.GetFloats("activation_params") is { } p)
        {
            to.Attributes.Set(NodeAttribute.Of(prefix + "activation_params", p));
        }
    }
}
