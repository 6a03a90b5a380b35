using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Fusion;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.Fusion.FusionHarness;

namespace OpenAutoGlm.Optimizer.Tests.Fusion;

/// <summary>The attention shapes PyTorch 1.13 exports (see /work/zoo-cache models and torchvision's nn.MultiheadAttention).</summary>
public sealed class FuseAttentionTests
{
    private const int B = 2, S = 3, H = 2, D = 4;

    [Fact]
    public void BertStyleAttentionBecomesPackedAttention()
    {
        var feeds = new (string, Tensor)[] { ("x", Random(1, B, S, H * D)), ("mask", Tensor.Create(new[] { 0f, 0f, -10000f, 0f, -10000f, 0f }, B, 1, 1, S)) };
        var model = Optimize(() => Bert(softmaxAxis: -1), [new FuseAttention()], feeds);
        var attention = Assert.Single(model.Graph.Nodes, n => n.OpType == "Attention");
        Assert.Equal(["q", "k", "v", "mask"], attention.Inputs);
        Assert.Equal(H, attention.Attributes.GetInt("num_heads"));
        Assert.Equal(0.5f, attention.Attributes.GetFloat("scale"), 6);
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType is "Softmax" or "Transpose" or "Reshape");
    }

    [Fact]
    public void SoftmaxOverAnotherAxisIsNotAttention() => AssertUnchanged(() => Bert(softmaxAxis: 2), new FuseAttention());

    [Fact]
    public void AttentionProbabilitiesReadElsewhereAreNotFused()
    {
        AssertUnchanged(
            () =>
            {
                var m = Bert(softmaxAxis: -1);
                m.Graph.Outputs.Add(new ValueInfo("p", null));
                return m;
            },
            new FuseAttention());
    }

    [Fact]
    public void Gpt2StyleKvCacheBecomesAttentionWithPastAndPresent()
    {
        var feeds = new (string, Tensor)[]
        {
            ("x", Random(1, B, 1, 3 * H * D)), ("past_k", Random(2, B, H, 5, D)), ("past_v", Random(3, B, H, 5, D)),
            ("mask", Tensor.Create(Enumerable.Range(0, B * 6).Select(i => i % 6 == 1 ? -10000f : 0f).ToArray(), B, 1, 1, 6)),
        };
        var model = Optimize(Gpt2, [new FuseAttention()], feeds);
        var attention = Assert.Single(model.Graph.Nodes, n => n.OpType == "Attention");
        Assert.Equal(["q", "k", "v", "mask", "past_k", "past_v"], attention.Inputs);
        Assert.Equal(["y", "present_k", "present_v"], attention.Outputs);
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType is "Concat" or "Softmax");
    }

    [Fact]
    public void MultiheadAttentionWithMergedBatchAndHeadsBecomesSingleHeadAttention()
    {
        // nn.MultiheadAttention (torchvision ViT): q, k, v are [S, B*H, D] → q transposed to [B*H, S, D] and divided by
        // sqrt(D); k transposed by [1, 2, 0] to [B*H, D, S]; v transposed to [B*H, S, D].
        var feeds = new (string, Tensor)[] { ("q", Random(1, S, B * H, D)), ("k", Random(2, S, B * H, D)), ("v", Random(3, S, B * H, D)) };
        var model = Optimize(
            () => new ModelBuilder(17).Input("q", DataType.Float32, S, B * H, D).Input("k", DataType.Float32, S, B * H, D).Input("v", DataType.Float32, S, B * H, D)
                .Initializer("c", Tensor.Scalar(2f))
                .Node("Transpose", ["q"], ["qt"], NodeAttribute.Of("perm", new long[] { 1, 0, 2 })).Node("Div", ["qt", "c"], ["qs"])
                .Node("Transpose", ["k"], ["kt"], NodeAttribute.Of("perm", new long[] { 1, 2, 0 }))
                .Node("Transpose", ["v"], ["vt"], NodeAttribute.Of("perm", new long[] { 1, 0, 2 }))
                .Node("MatMul", ["qs", "kt"], ["s"]).Node("Softmax", ["s"], ["p"], NodeAttribute.Of("axis", -1L)).Node("MatMul", ["p", "vt"], ["y"])
                .Output("y").Build(),
            [new FuseAttention()],
            feeds);
        var attention = Assert.Single(model.Graph.Nodes, n => n.OpType == "Attention");
        Assert.Equal(1, attention.Attributes.GetInt("num_heads"));
        Assert.Equal(0.5f, attention.Attributes.GetFloat("scale"), 6);
    }

    /// <summary>BERT's self-attention as exported at opset 13/17, with constant reshape targets.</summary>
    private static Model Bert(long softmaxAxis) =>
        new ModelBuilder(13).Input("x", DataType.Float32, B, S, H * D).Input("mask", DataType.Float32, B, 1, 1, S)
            .Initializer("wq", Random(11, H * D, H * D)).Initializer("wk", Random(12, H * D, H * D)).Initializer("wv", Random(13, H * D, H * D))
            .Initializer("heads", Tensor.Create(new long[] { B, S, H, D }, 4)).Initializer("merged", Tensor.Create(new long[] { B, S, H * D }, 3))
            .Initializer("c", Tensor.Scalar(2f))
            .Node("MatMul", ["x", "wq"], ["q"]).Node("MatMul", ["x", "wk"], ["k"]).Node("MatMul", ["x", "wv"], ["v"])
            .Node("Reshape", ["q", "heads"], ["q4"]).Node("Transpose", ["q4"], ["qh"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 }))
            .Node("Reshape", ["k", "heads"], ["k4"]).Node("Reshape", ["v", "heads"], ["v4"]).Node("Transpose", ["v4"], ["vh"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 }))
            .Node("Transpose", ["k4"], ["kt"], NodeAttribute.Of("perm", new long[] { 0, 2, 3, 1 }))
            .Node("MatMul", ["qh", "kt"], ["s"]).Node("Div", ["s", "c"], ["sc"]).Node("Add", ["sc", "mask"], ["sm"]).Node("Softmax", ["sm"], ["p"], NodeAttribute.Of("axis", softmaxAxis))
            .Node("MatMul", ["p", "vh"], ["o"]).Node("Transpose", ["o"], ["ot"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 })).Node("Reshape", ["ot", "merged"], ["y"])
            .Output("y").Build();

    /// <summary>GPT-2's attention: Split of a fused QKV projection, KV-cache Concat whose results are graph outputs.</summary>
    private static Model Gpt2() =>
        new ModelBuilder(17).Input("x", DataType.Float32, B, 1, 3 * H * D).Input("past_k", DataType.Float32, B, H, 5, D).Input("past_v", DataType.Float32, B, H, 5, D)
            .Input("mask", DataType.Float32, B, 1, 1, 6)
            .Initializer("split", Tensor.Create(new long[] { H * D, H * D, H * D }, 3))
            .Initializer("heads", Tensor.Create(new long[] { B, 1, H, D }, 4)).Initializer("merged", Tensor.Create(new long[] { B, 1, H * D }, 3))
            .Initializer("c", Tensor.Scalar(2f))
            .Node("Split", ["x", "split"], ["q", "k", "v"], NodeAttribute.Of("axis", 2L))
            .Node("Reshape", ["q", "heads"], ["q4"]).Node("Transpose", ["q4"], ["qh"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 }))
            .Node("Reshape", ["k", "heads"], ["k4"]).Node("Transpose", ["k4"], ["kh"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 }))
            .Node("Reshape", ["v", "heads"], ["v4"]).Node("Transpose", ["v4"], ["vh"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 }))
            .Node("Concat", ["past_k", "kh"], ["present_k"], NodeAttribute.Of("axis", 2L)).Node("Concat", ["past_v", "vh"], ["present_v"], NodeAttribute.Of("axis", 2L))
            .Node("Transpose", ["present_k"], ["kt"], NodeAttribute.Of("perm", new long[] { 0, 1, 3, 2 }))
            .Node("MatMul", ["qh", "kt"], ["s"]).Node("Div", ["s", "c"], ["sc"]).Node("Add", ["sc", "mask"], ["sm"]).Node("Softmax", ["sm"], ["p"], NodeAttribute.Of("axis", -1L))
            .Node("MatMul", ["p", "present_v"], ["o"]).Node("Transpose", ["o"], ["ot"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 })).Node("Reshape", ["ot", "merged"], ["y"])
            .Output("y").Output("present_k").Output("present_v").Build();
}
