using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

[OpTest("Attention", "ai.autoglm")]
public sealed class AttentionTests
{
    [Fact]
    public void PackedHeadsMatchBertStyleSubgraph()
    {
        var q = Unfused.Random(1, 2, 3, 8);
        var k = Unfused.Random(2, 2, 3, 8);
        var v = Unfused.Random(3, 2, 3, 8);
        var mask = Tensor.Create(new[] { 0f, 0f, -10000f, 0f, -10000f, 0f }, 2, 1, 1, 3);
        var heads = Tensor.Create(new long[] { 2, 3, 2, 4 }, 4);
        var merged = Tensor.Create(new long[] { 2, 3, 8 }, 3);
        var model = new ModelBuilder()
            .Input("q", DataType.Float32, 2, 3, 8).Input("k", DataType.Float32, 2, 3, 8).Input("v", DataType.Float32, 2, 3, 8).Input("mask", DataType.Float32, 2, 1, 1, 3)
            .Initializer("heads", heads).Initializer("merged", merged).Initializer("c", Tensor.Scalar(2f))
            .Node("Reshape", ["q", "heads"], ["q4"]).Node("Transpose", ["q4"], ["qh"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 }))
            .Node("Reshape", ["k", "heads"], ["k4"]).Node("Transpose", ["k4"], ["kt"], NodeAttribute.Of("perm", new long[] { 0, 2, 3, 1 }))
            .Node("Reshape", ["v", "heads"], ["v4"]).Node("Transpose", ["v4"], ["vh"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 }))
            .Node("MatMul", ["qh", "kt"], ["s"]).Node("Div", ["s", "c"], ["sc"]).Node("Add", ["sc", "mask"], ["sm"]).Node("Softmax", ["sm"], ["p"], NodeAttribute.Of("axis", -1L))
            .Node("MatMul", ["p", "vh"], ["o"]).Node("Transpose", ["o"], ["ot"], NodeAttribute.Of("perm", new long[] { 0, 2, 1, 3 })).Node("Reshape", ["ot", "merged"], ["y"])
            .Output("y").Build();
        var expected = (Tensor)GraphBuilder.Run(model, ("q", q), ("k", k), ("v", v), ("mask", mask))["y"];
        var actual = new OpTester("Attention", 1, "ai.autoglm").Input(q).Input(k).Input(v).Input(mask).Attr("num_heads", 2L).RunSingle();
        TensorAssert.Close(expected, actual, 1e-5, 1e-6);
    }

    [Fact]
    public void HeadMajorWithPastMatchesConcatSubgraph()
    {
        var q = Unfused.Random(1, 2, 2, 1, 4);
        var k = Unfused.Random(2, 2, 2, 1, 4);
        var v = Unfused.Random(3, 2, 2, 1, 4);
        var pastK = Unfused.Random(4, 2, 2, 3, 4);
        var pastV = Unfused.Random(5, 2, 2, 3, 4);
        var model = new ModelBuilder()
            .Input("q", DataType.Float32, 2, 2, 1, 4).Input("k", DataType.Float32, 2, 2, 1, 4).Input("v", DataType.Float32, 2, 2, 1, 4)
            .Input("pk", DataType.Float32, 2, 2, 3, 4).Input("pv", DataType.Float32, 2, 2, 3, 4).Initializer("c", Tensor.Scalar(0.7f))
            .Node("Concat", ["pk", "k"], ["presk"], NodeAttribute.Of("axis", 2L)).Node("Concat", ["pv", "v"], ["presv"], NodeAttribute.Of("axis", 2L))
            .Node("Transpose", ["presk"], ["kt"], NodeAttribute.Of("perm", new long[] { 0, 1, 3, 2 }))
            .Node("MatMul", ["q", "kt"], ["s"]).Node("Mul", ["s", "c"], ["sc"]).Node("Softmax", ["sc"], ["p"]).Node("MatMul", ["p", "presv"], ["y"])
            .Output("y").Output("presk").Output("presv").Build();
        var expected = GraphBuilder.Run(model, ("q", q), ("k", k), ("v", v), ("pk", pastK), ("pv", pastV));
        var actual = new OpTester("Attention", 1, "ai.autoglm").Input(q).Input(k).Input(v).Input(null).Input(pastK).Input(pastV).Attr("scale", 0.7f).Outputs(3).Run();
        TensorAssert.Close((Tensor)expected["y"], actual[0], 1e-5, 1e-6);
        TensorAssert.Close((Tensor)expected["presk"], actual[1], 0, 0);
        TensorAssert.Close((Tensor)expected["presv"], actual[2], 0, 0);
    }

    [Fact]
    public void CausalWithPastMatchesScalarReference()
    {
        const int b = 1, s = 3, h = 2, d = 3, p = 2, t = p + s;
        var q = Unfused.Random(1, b, s, h * d);
        var k = Unfused.Random(2, b, s, h * d);
        var v = Unfused.Random(3, b, s, h * d);
        var pastK = Unfused.Random(4, b, h, p, d);
        var pastV = Unfused.Random(5, b, h, p, d);
        var actual = new OpTester("Attention", 1, "ai.autoglm").Input(q).Input(k).Input(v).Input(null).Input(pastK).Input(pastV)
            .Attr("num_heads", (long)h).Attr("causal", 1L).RunSingle();

        // Oracle: key j (over past then new) is visible to query i when j <= p + i; scale 1/sqrt(d).
        var expected = new float[b * s * h * d];
        for (int hi = 0; hi < h; hi++)
        {
            for (int i = 0; i < s; i++)
            {
                var w = new double[t];
                for (int j = 0; j <= p + i; j++)
                {
                    double dot = 0;
                    for (int e = 0; e < d; e++)
                    {
                        float kv = j < p ? pastK[((hi * p) + j) * d + e] : k[((j - p) * h * d) + (hi * d) + e];
                        dot += q[(i * h * d) + (hi * d) + e] * kv;
                    }

                    w[j] = Math.Exp(dot / Math.Sqrt(d));
                }

                double sum = w.Sum();
                for (int e = 0; e < d; e++)
                {
                    double acc = 0;
                    for (int j = 0; j <= p + i; j++)
                    {
                        acc += w[j] / sum * (j < p ? pastV[((hi * p) + j) * d + e] : v[((j - p) * h * d) + (hi * d) + e]);
                    }

                    expected[(i * h * d) + (hi * d) + e] = (float)acc;
                }
            }
        }

        TensorAssert.Close(expected, [b, s, h * d], actual, 1e-5, 1e-6);
    }

    [Fact]
    public void KeyHeadSizeMismatchIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Attention", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 1, 2, 8)).Input(Unfused.Random(2, 1, 2, 6)).Input(Unfused.Random(3, 1, 2, 8)).Attr("num_heads", 2L).RunSingle());
        Assert.Contains("do not fit Q", ex.Message);
    }

    [Fact]
    public void MaskThatDoesNotBroadcastIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Attention", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 1, 2, 8)).Input(Unfused.Random(2, 1, 2, 8)).Input(Unfused.Random(3, 1, 2, 8)).Input(Unfused.Random(4, 1, 1, 1, 3)).Attr("num_heads", 2L).RunSingle());
        Assert.Contains("mask [1,1,1,3] cannot be broadcast", ex.Message);
    }
}
