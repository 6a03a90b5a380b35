using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

/// <summary>
/// fuse-expand-depthwise: a blocked 1x1 convolution read only by a 3x3 / 5x5 depthwise convolution (an inverted residual
/// block's expand and depthwise steps) becomes one NchwcExpandDepthwise, outputs unchanged; anything else stays apart.
/// </summary>
public sealed class FuseExpandDepthwiseTests
{
    private const string Domain = "ai.autoglm";

    /// <summary>
    /// A stem 3x3 conv (3 → 16, so the chain is blocked), the 1x1 expand (16 → 96) + Relu6, the depthwise (k, stride)
    /// + Relu6, the 1x1 projection (96 → 24); <paramref name="variant"/> breaks the pattern.
    /// </summary>
    private static Model Block(int hw, int k, int stride, string variant = "")
    {
        var b = new ModelBuilder().Input("x", DataType.Float32, 1, 3, hw, hw)
            .Initializer("w0", Uniform(1, -0.3f, 0.3f, 16, 3, 3, 3)).Initializer("b0", Uniform(2, -0.1f, 0.1f, 16))
            .Initializer("w1", Uniform(3, -0.3f, 0.3f, 96, 16, 1, 1)).Initializer("b1", Uniform(4, -0.1f, 0.1f, 96))
            .Initializer("w2", Uniform(5, -0.3f, 0.3f, 96, 1, k, k)).Initializer("b2", Uniform(6, -0.1f, 0.1f, 96))
            .Initializer("w3", Uniform(7, -0.3f, 0.3f, 24, 96, 1, 1))
            .Initializer("lo", Tensor.Scalar(0f)).Initializer("hi", Tensor.Scalar(6f))
            .Node("Conv", ["x", "w0", "b0"], ["c0"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 })).Node("Relu", ["c0"], ["a0"])
            .Node("Conv", ["a0", "w1", "b1"], ["c1"]).Node("Clip", ["c1", "lo", "hi"], ["a1"]);
        long p = k / 2;
        var dwAttributes = new List<NodeAttribute>
        {
            NodeAttribute.Of("group", 96L), NodeAttribute.Of("strides", new long[] { stride, stride }), NodeAttribute.Of("pads", new long[] { p, p, p, p }),
        };
        if (variant == "dilated")
        {
            dwAttributes.Add(NodeAttribute.Of("dilations", new long[] { 2, 2 }));
            dwAttributes[2] = NodeAttribute.Of("pads", new long[] { 2 * p, 2 * p, 2 * p, 2 * p });
        }

        b.Node("Conv", ["a1", "w2", "b2"], ["c2"], [.. dwAttributes]).Node("Clip", ["c2", "lo", "hi"], ["a2"])
            .Node("Conv", ["a2", "w3"], ["y"]);
        if (variant == "expanded read elsewhere")
        {
            b.Node("GlobalAveragePool", ["a1"], ["side"]).Output("side");
        }

        return b.Output("y").Build();
    }

    private static InferenceSession Check(Func<Model> build, int hw) =>
        AssertOutputsPreserved(build, Feeds(("x", Random(9, 1, 3, hw, hw))), OptimizationLevel.All);

    [NchwcTheory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 1)]
    [InlineData(5, 2)]
    public void ExpandAndDepthwiseBecomeOneNode(int k, int stride)
    {
        var session = Check(() => Block(20, k, stride), 20);
        var fused = Assert.Single(session.Model.Graph.Nodes, n => n.OpType == "NchwcExpandDepthwise");
        Assert.Equal(Domain, fused.Domain);
        Assert.Equal(new long[] { stride, stride }, fused.Attributes.GetInts("strides"));
        Assert.Equal(new long[] { k, k }, fused.Attributes.GetInts("kernel_shape"));
        Assert.Equal("Clip", fused.Attributes.GetString("expand_activation", string.Empty));
        Assert.Equal("Clip", fused.Attributes.GetString("activation", string.Empty));

        // The stem and the projection stay NchwcConvs.
        Assert.Equal(2, Count(session, $"{Domain}.NchwcConv"));
    }

    /// <summary>MobileNetV2's second block at full size: the op takes its band path (an expanded tensor of 4.8 MB).</summary>
    [NchwcFact]
    public void FullSizeBlockRunsInBands()
    {
        var session = Check(() => Block(112, 3, 2), 112);
        Assert.Equal(1, Count(session, $"{Domain}.NchwcExpandDepthwise"));
    }

    public static TheoryData<string> Unfusable => new() { "expanded read elsewhere", "dilated" };

    [NchwcTheory]
    [MemberData(nameof(Unfusable))]
    public void OtherPatternsStayApart(string variant)
    {
        var session = Check(() => Block(12, 3, 1, variant), 12);
        Assert.Equal(0, Count(session, $"{Domain}.NchwcExpandDepthwise"));
        Assert.Equal(4, Count(session, $"{Domain}.NchwcConv"));
    }
}
