using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Layout;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

/// <summary>
/// ConvertToNchwc: convolution chains move to the blocked layout with outputs unchanged; values leave it through one
/// ReorderOutput just before their first NCHW reader (or under their own name when they are graph outputs).
/// </summary>
public sealed class ConvertToNchwcTests
{
    private const string Domain = "ai.autoglm";

    /// <summary>
    /// Whether the CPU provider claims NchwcConv for a plain 16-channel conv: the tests that need it are
    /// <see cref="NchwcFactAttribute"/>s (skipped, visibly, where it does not) and assert it, so they cannot pass vacuously.
    /// </summary>
    private static bool ProviderClaimsNchwc()
    {
        var model = new ModelBuilder().Input("x", DataType.Float32, 1, 16, 4, 4).Initializer("w", Random(1, 16, 16, 1, 1))
            .Node("Conv", ["x", "w"], ["y"]).Output("y").Build();
        return ApplyOnly(new ConvertToNchwc(), model);
    }

    private static ModelBuilder Conv(ModelBuilder b, string x, string y, int seed, int m, int c, int k, int stride = 1, int group = 1)
    {
        string w = $"{y}_w", bias = $"{y}_b";
        return b.Initializer(w, Uniform(seed, -0.3f, 0.3f, m, c / group, k, k)).Initializer(bias, Uniform(seed + 1, -0.1f, 0.1f, m))
            .Node("Conv", [x, w, bias], [y], NodeAttribute.Of("strides", new long[] { stride, stride }),
                NodeAttribute.Of("pads", new long[] { k / 2, k / 2, k / 2, k / 2 }), NodeAttribute.Of("group", (long)group));
    }

    /// <summary>
    /// Conv 3→16 3x3 s2 + Relu, depthwise 3x3 + Relu, 1x1 conv, residual Add, MaxPool 3x3 s2, two 16-channel branches
    /// (1x1 and 3x3 over the pool's output) concatenated, GlobalAveragePool, Flatten, Gemm.
    /// </summary>
    private static Model SmallCnn()
    {
        var b = new ModelBuilder().Input("x", DataType.Float32, 2, 3, 32, 32);
        Conv(b, "x", "c1", 1, 16, 3, 3, stride: 2).Node("Relu", ["c1"], ["a"]);
        Conv(b, "a", "dw", 3, 16, 16, 3, group: 16).Node("Relu", ["dw"], ["dwr"]);
        Conv(b, "dwr", "pw", 5, 16, 16, 1).Node("Add", ["pw", "a"], ["res"]);
        b.Node("MaxPool", ["res"], ["p"], NodeAttribute.Of("kernel_shape", new long[] { 3, 3 }), NodeAttribute.Of("strides", new long[] { 2, 2 }),
            NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }));
        Conv(b, "p", "br1", 7, 16, 16, 1).Node("Relu", ["br1"], ["br1r"]);
        Conv(b, "p", "br2", 9, 16, 16, 3).Node("Relu", ["br2"], ["br2r"]);
        return b.Node("Concat", ["br1r", "br2r"], ["cat"], NodeAttribute.Of("axis", 1L))
            .Node("GlobalAveragePool", ["cat"], ["g"])
            .Node("Flatten", ["g"], ["f"], NodeAttribute.Of("axis", 1L))
            .Initializer("gw", Uniform(11, -0.3f, 0.3f, 10, 32)).Initializer("gb", Uniform(12, -0.1f, 0.1f, 10))
            .Node("Gemm", ["f", "gw", "gb"], ["y"], NodeAttribute.Of("transB", 1L))
            .Output("y")
            .Build();
    }

    [NchwcFact]
    public void SmallCnnKeepsItsOutputsWithOneReorderBeforeFlatten()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        var session = AssertOutputsPreserved(SmallCnn, Feeds(("x", Random(1, 2, 3, 32, 32))), OptimizationLevel.All);
        var graph = session.Model.Graph;
        Assert.Equal(0, Count(session, "Conv"));
        Assert.Equal(0, Count(session, $"{Domain}.FusedConv"));
        Assert.Equal(0, Count(session, "MaxPool"));
        Assert.Equal(0, Count(session, "GlobalAveragePool"));
        Assert.Equal(4, Count(session, $"{Domain}.NchwcConv"));
        Assert.Equal(2, Count(session, $"{Domain}.NchwcPool"));

        // The first layer (3 channels) reads NCHW directly: nothing to reorder on the way in.
        Assert.Equal(0, Count(session, $"{Domain}.ReorderInput"));
        var reorder = Assert.Single(graph.Nodes, n => n.OpType == "ReorderOutput");
        Assert.Equal(32L, reorder.Attributes.GetInt("channels", 0));
        var flatten = Assert.Single(graph.Nodes, n => n.OpType == "Flatten");
        Assert.Equal(reorder.Outputs[0], flatten.Inputs[0]);

        // The 32-channel Concat of the two blocked branches over p became one NchwcConv (merge-parallel-convs).
        Assert.Equal(0, Count(session, "Concat"));
        var merged = Assert.Single(graph.Nodes, n => n.OpType == "NchwcConv" && graph.Initializers[n.Inputs[1]].Dims[0] == 32);
        Assert.Equal([32, 16, 3, 3], graph.Initializers[merged.Inputs[1]].Dims.ToArray());
        Assert.Contains(Domain, session.Model.OpsetImports.Keys);
    }

    [NchwcFact]
    public void ConvOutputThatIsAGraphOutputIsReorderedUnderItsOwnName()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, 1, 20, 9, 9);
            Conv(b, "x", "c", 1, 24, 20, 3);
            return Conv(b, "c", "d", 3, 16, 24, 3).Node("Relu", ["d"], ["y"]).Output("c").Output("y").Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(2, 1, 20, 9, 9))), OptimizationLevel.All);
        var graph = session.Model.Graph;
        Assert.Equal(2, Count(session, $"{Domain}.NchwcConv"));
        Assert.Equal(1, Count(session, $"{Domain}.ReorderInput"));
        var c = Assert.Single(graph.Nodes, n => n.Outputs.Contains("c"));
        Assert.Equal("ReorderOutput", c.OpType);
        Assert.Equal(24L, c.Attributes.GetInt("channels", 0));
        var y = Assert.Single(graph.Nodes, n => n.Outputs.Contains("y"));
        Assert.Equal("ReorderOutput", y.OpType);
        Assert.Equal(16L, y.Attributes.GetInt("channels", 0));

        // The second convolution reads the blocked twin of c, not c.
        Assert.DoesNotContain(graph.Nodes, n => n.OpType == "NchwcConv" && n.Inputs.Contains("c"));
    }

    [NchwcTheory]
    [InlineData("Softmax")]
    [InlineData("Reshape")]
    [InlineData("Div")]
    public void ConvOutputReadByAnUnconvertedOpIsReorderedJustBeforeIt(string reader)
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, 1, 16, 6, 6).Input("u", DataType.Float32, 1, 16, 6, 6);
            Conv(b, "x", "c", 1, 20, 16, 3).Node("Neg", ["u"], ["v"]).Node("Relu", ["c"], ["r"]);
            b = reader switch
            {
                "Softmax" => b.Node("Softmax", ["r"], ["s"], NodeAttribute.Of("axis", 1L)),
                "Reshape" => b.Initializer("shape", Longs(1, 20, 36)).Node("Reshape", ["r", "shape"], ["s"]),
                _ => b.Initializer("two", Tensor.Scalar(2f)).Node("Div", ["r", "two"], ["s"]),
            };
            return b.Output("s").Output("v").Build();
        }

        AssertOutputsPreserved(Build, Feeds(("x", Random(3, 1, 16, 6, 6)), ("u", Random(4, 1, 16, 6, 6))), OptimizationLevel.All);

        var model = Build();
        Assert.True(ApplyOnly(new ConvertToNchwc(), model));
        var nodes = model.Graph.Nodes;
        int at = nodes.FindIndex(n => n.OpType == reader);
        Assert.True(at > 0);
        var reorder = nodes[at - 1];
        Assert.Equal("ReorderOutput", reorder.OpType);
        Assert.Equal("r", reorder.Outputs[0]);
        Assert.Equal(20L, reorder.Attributes.GetInt("channels", 0));
        Assert.Single(nodes, n => n.OpType == "ReorderOutput");

        // Neg of a graph input stays as it was, ahead of the reorder (inserted at the reader, not at the producer).
        Assert.Equal("u", nodes.Single(n => n.OpType == "Neg").Inputs[0]);
        Assert.True(nodes.FindIndex(n => n.OpType == "Relu") < at - 1);
    }

    [NchwcFact]
    public void ConcatOfPartialBlocksStaysNchw()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        // 20 + 20 channels: the second input's channels do not start on a block boundary.
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, 1, 16, 7, 7);
            Conv(b, "x", "c1", 1, 20, 16, 3);
            Conv(b, "x", "c2", 3, 20, 16, 1);
            return b.Node("Concat", ["c1", "c2"], ["cat"], NodeAttribute.Of("axis", 1L)).Node("Relu", ["cat"], ["y"]).Output("y").Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(5, 1, 16, 7, 7))), OptimizationLevel.All);
        var graph = session.Model.Graph;
        Assert.Equal(2, Count(session, $"{Domain}.NchwcConv"));
        var concat = Assert.Single(graph.Nodes, n => n.OpType == "Concat");
        Assert.Equal(new[] { "c1", "c2" }, concat.Inputs);
        Assert.All(concat.Inputs, i => Assert.Equal("ReorderOutput", graph.Nodes.Single(n => n.Outputs.Contains(i)).OpType));
        Assert.Equal("cat", graph.Nodes.Single(n => n.OpType == "Relu").Inputs[0]);
    }

    [NchwcFact]
    public void ChannelsOf20ThroughActivationsPoolsAndResidualAdd()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        // Padded lanes (20 of 32) travel through Sigmoid (0.5 there), Mul by a scalar, MaxPool and a residual Add.
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, 2, 20, 10, 10);
            Conv(b, "x", "c1", 1, 20, 20, 3).Node("Sigmoid", ["c1"], ["s"]).Initializer("k", Tensor.Scalar(3f)).Node("Mul", ["s", "k"], ["m"]);
            Conv(b, "m", "c2", 3, 20, 20, 3).Node("Add", ["c2", "x"], ["r"]);
            b.Node("MaxPool", ["r"], ["p"], NodeAttribute.Of("kernel_shape", new long[] { 2, 2 }), NodeAttribute.Of("strides", new long[] { 2, 2 }));
            return Conv(b, "p", "c3", 5, 20, 20, 3, group: 20).Node("GlobalMaxPool", ["c3"], ["y"]).Output("y").Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(6, 2, 20, 10, 10))), OptimizationLevel.All);
        Assert.Equal(3, Count(session, $"{Domain}.NchwcConv"));
        Assert.Equal(2, Count(session, $"{Domain}.NchwcPool"));
        Assert.Equal(1, Count(session, $"{Domain}.ReorderOutput"));
    }

    [NchwcTheory]
    [InlineData(20)]
    [InlineData(32)]
    public void SqueezeExcitationBroadcastsStayBlocked(int c)
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        // EfficientNet's SE block: x * Sigmoid(Conv1x1(Relu(Conv1x1(GlobalAveragePool(x))))), a [N, C, 1, 1] scale
        // broadcast over the plane; the blocked twins broadcast the same way ([N, C/16, 1, 1, 16]).
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, 2, 16, 9, 9);
            Conv(b, "x", "c", 1, c, 16, 3).Node("Sigmoid", ["c"], ["cs"]).Node("Mul", ["c", "cs"], ["a"]);
            b.Node("GlobalAveragePool", ["a"], ["g"]);
            Conv(b, "g", "s1", 3, 8, c, 1).Node("Relu", ["s1"], ["s1r"]);
            Conv(b, "s1r", "s2", 5, c, 8, 1).Node("Sigmoid", ["s2"], ["scale"]).Node("Mul", ["a", "scale"], ["se"]);
            return Conv(b, "se", "y", 7, 16, c, 1).Output("y").Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(8, 2, 16, 9, 9))), OptimizationLevel.All);
        Assert.Equal(4, Count(session, $"{Domain}.NchwcConv"));
        Assert.Equal(1, Count(session, $"{Domain}.NchwcPool"));
        Assert.Equal(1, Count(session, "Mul")); // the other, x * Sigmoid(x), is fused into the first conv as SiLU
        Assert.Equal(1, Count(session, $"{Domain}.ReorderInput"));
        Assert.Equal(1, Count(session, $"{Domain}.ReorderOutput"));
    }

    [NchwcFact]
    public void SymbolicBatchAndPlane()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, Dim.Symbolic("N"), 3, Dim.Symbolic("H"), Dim.Symbolic("W"));
            Conv(b, "x", "c1", 1, 16, 3, 3, stride: 2).Node("Relu", ["c1"], ["a"]);
            Conv(b, "a", "c2", 3, 16, 16, 3, group: 16).Node("Add", ["c2", "a"], ["r"]);
            return b.Node("GlobalAveragePool", ["r"], ["y"]).Output("y").Build();
        }

        foreach (var (n, h, w) in new[] { (1, 9, 11), (3, 16, 5) })
        {
            var session = AssertOutputsPreserved(Build, Feeds(("x", Random(9 + n, n, 3, h, w))), OptimizationLevel.All);
            Assert.Equal(2, Count(session, $"{Domain}.NchwcConv"));
            Assert.Equal(1, Count(session, $"{Domain}.NchwcPool"));
        }
    }

    [NchwcFact]
    public void OneReorderInputServesEveryReader()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        // x (24 channels) is read by two convolutions and a residual Add: one ReorderInput. (The activations keep
        // fuse-repvgg from merging the parallel 3x3 and 1x1 convolutions.)
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, 1, 24, 6, 6);
            Conv(b, "x", "c1", 1, 24, 24, 3).Node("Relu", ["c1"], ["r1"]);
            Conv(b, "x", "c2", 3, 24, 24, 1).Node("Tanh", ["c2"], ["r2"]);
            return b.Node("Add", ["r1", "r2"], ["s"]).Node("Add", ["s", "x"], ["y"]).Output("y").Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(10, 1, 24, 6, 6))), OptimizationLevel.All);
        Assert.Equal(1, Count(session, $"{Domain}.ReorderInput"));
        Assert.Equal(2, Count(session, $"{Domain}.NchwcConv"));
        Assert.Equal(1, Count(session, $"{Domain}.ReorderOutput"));
    }

    [NchwcTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void ValueReadInsideAnIfBranchIsReorderedBeforeTheIf(bool condition)
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        Model Build()
        {
            var then = new GraphBuilder("then").Node("Neg", ["r"], ["t"]).Output("t").Graph;
            var otherwise = new GraphBuilder("else").Node("Abs", ["r"], ["e"]).Output("e").Graph;
            var b = new ModelBuilder().Input("x", DataType.Float32, 1, 16, 5, 5).Input("cond", DataType.Bool);
            Conv(b, "x", "c", 1, 20, 16, 3).Node("Relu", ["c"], ["r"]);
            return b.Node("If", ["cond"], ["y"], NodeAttribute.Of("then_branch", then), NodeAttribute.Of("else_branch", otherwise)).Output("y").Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(11, 1, 16, 5, 5)), ("cond", Tensor.Scalar(condition))), OptimizationLevel.All);
        var nodes = session.Model.Graph.Nodes;
        int at = nodes.FindIndex(n => n.OpType == "If");
        int reorder = nodes.FindIndex(n => n.OpType == "ReorderOutput" && n.Outputs[0] == "r");
        Assert.InRange(reorder, 0, at - 1);
    }

    [NchwcFact]
    public void OneSessionRunsShapesAndThreadCountsInTurn()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        // The same optimized session (cached packed weights, padded-input scratch sized per call) on changing batch and
        // plane sizes, for 1, 3 and 8 intra-op threads (more threads than work items at the small sizes).
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, Dim.Symbolic("N"), 20, Dim.Symbolic("H"), Dim.Symbolic("W"));
            Conv(b, "x", "c1", 1, 40, 20, 3).Node("Relu", ["c1"], ["a"]);
            Conv(b, "a", "c2", 3, 40, 40, 3, stride: 2, group: 40);
            Conv(b, "c2", "c3", 5, 24, 40, 1).Node("MaxPool", ["c3"], ["p"], NodeAttribute.Of("kernel_shape", new long[] { 2, 2 }), NodeAttribute.Of("ceil_mode", 1L));
            return b.Output("p").Build();
        }

        var reference = Session(Build(), OptimizationLevel.None);
        foreach (int threads in new[] { 1, 3, 8 })
        {
            var optimized = InferenceSession.Create(Build(), new SessionOptions
            {
                Providers = [new CpuExecutionProvider()], OptimizationLevel = OptimizationLevel.All, IntraOpThreads = threads, PoisonUninitializedOutputs = true,
            });
            Assert.Equal(3, Count(optimized, $"{Domain}.NchwcConv"));
            foreach (var (n, h, w) in new[] { (1, 5, 6), (2, 17, 30), (1, 3, 3), (3, 9, 4), (1, 5, 6) })
            {
                var feeds = Feeds(("x", Random((threads * 100) + h, n, 20, h, w)));
                TensorAssert.Close((Tensor)reference.Run(feeds)["p"], (Tensor)optimized.Run(feeds)["p"], 1e-5, 1e-5);
            }
        }
    }

    [NchwcFact]
    public void NarrowChannelCountsStayBlocked()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        // 3 → 8 → 12 (a blocked input of fewer than 16 channels), depthwise 12, → 4: padded lanes in every block.
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, 2, 3, 11, 10);
            Conv(b, "x", "c1", 1, 8, 3, 3).Node("Relu", ["c1"], ["a"]);
            Conv(b, "a", "c2", 3, 12, 8, 3, stride: 2).Node("HardSwish", ["c2"], ["h"]);
            Conv(b, "h", "c3", 5, 12, 12, 3, group: 12);
            return Conv(b, "c3", "y", 7, 4, 12, 1).Output("y").Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(12, 2, 3, 11, 10))), OptimizationLevel.All);
        Assert.Equal(4, Count(session, $"{Domain}.NchwcConv"));
        Assert.Equal(0, Count(session, $"{Domain}.ReorderInput"));
        var reorder = Assert.Single(session.Model.Graph.Nodes, n => n.OpType == "ReorderOutput");
        Assert.Equal(4L, reorder.Attributes.GetInt("channels", 0));
    }

    [NchwcFact]
    public void UnconvertibleConvStaysAndASecondApplyChangesNothing()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        // A dense conv with column stride 3 has no NCHWc kernel: it reads the NCHW value back and stays a Conv. Applying
        // the pass again (it re-enters, a Conv is left) converts nothing more.
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, 1, 16, 12, 12);
            Conv(b, "x", "c1", 1, 16, 16, 3).Node("Relu", ["c1"], ["a"]);
            return Conv(b, "a", "c2", 3, 16, 16, 3, stride: 3).Node("Relu", ["c2"], ["y"]).Output("y").Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(13, 1, 16, 12, 12))), OptimizationLevel.All);
        Assert.Equal(1, Count(session, $"{Domain}.NchwcConv"));
        Assert.Equal(1, Count(session, $"{Domain}.FusedConv"));

        var model = Build();
        Assert.True(ApplyOnly(new ConvertToNchwc(), model));
        Assert.Equal(1, Count(model, "Conv"));
        AssertUnchanged(new ConvertToNchwc(), model);
    }

    [Fact]
    public void NothingChangesWhenNoProviderClaimsNchwcConv()
    {
        var model = SmallCnn();
        var providers = new IExecutionProvider[] { new CpuExecutionProvider() };
        var cpu = ModelPreparation.CreatePassContext(model, providers);
        var refusing = new PassContext { Evaluator = cpu.Evaluator, CanRun = n => n.OpType != "NchwcConv" && cpu.Claims(n) };
        AssertUnchanged(new ConvertToNchwc(), model, refusing);
        Assert.DoesNotContain(Domain, model.OpsetImports.Keys);
    }

    [Fact]
    public void NothingChangesWithoutAPassContextThatCanRun() =>
        AssertUnchanged(new ConvertToNchwc(), SmallCnn(), PassContext.Empty);

    [Fact]
    public void ModelWithoutConvolutionsIsUnchanged()
    {
        var model = new ModelBuilder().Input("x", DataType.Float32, 1, 16, 8, 8)
            .Node("MaxPool", ["x"], ["p"], NodeAttribute.Of("kernel_shape", new long[] { 2, 2 }))
            .Node("Relu", ["p"], ["r"]).Node("GlobalAveragePool", ["r"], ["y"]).Output("y").Build();
        AssertUnchanged(new ConvertToNchwc(), model);
    }

    [NchwcFact]
    public void AveragePoolWithPadsStaysNchw()
    {
        Assert.True(ProviderClaimsNchwc(), "the CPU provider should claim NchwcConv here (see NchwcFactAttribute)");
        Model Build()
        {
            var b = new ModelBuilder().Input("x", DataType.Float32, 1, 16, 8, 8);
            return Conv(b, "x", "c", 1, 16, 16, 3).Node("AveragePool", ["c"], ["y"], NodeAttribute.Of("kernel_shape", new long[] { 3, 3 }),
                NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 })).Output("y").Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(7, 1, 16, 8, 8))), OptimizationLevel.All);
        Assert.Equal(1, Count(session, "AveragePool"));
        Assert.Equal(0, Count(session, $"{Domain}.NchwcPool"));
        Assert.Equal(1, Count(session, $"{Domain}.ReorderOutput"));
    }
}

/// <summary>
/// A fact that runs where the CPU provider claims NchwcConv (accelerated 512-bit vectors, or AUTOGLM_NCHWC=1) and is
/// skipped, with the reason shown, elsewhere: there the pass converts nothing, which
/// <see cref="ConvertToNchwcTests.NothingChangesWhenNoProviderClaimsNchwcConv"/> covers.
/// </summary>
public sealed class NchwcFactAttribute : FactAttribute
{
    public NchwcFactAttribute() => Skip = NchwcSupport.SkipReason;
}

/// <inheritdoc cref="NchwcFactAttribute"/>
public sealed class NchwcTheoryAttribute : TheoryAttribute
{
    public NchwcTheoryAttribute() => Skip = NchwcSupport.SkipReason;
}

internal static class NchwcSupport
{
    /// <summary>Null where the CPU provider claims NchwcConv (the rule of NchwcLayout.Enabled), else why the test is skipped.</summary>
    public static string? SkipReason => Environment.GetEnvironmentVariable("AUTOGLM_NCHWC") switch
    {
        "0" => "AUTOGLM_NCHWC=0: the CPU provider does not claim NchwcConv",
        "1" => null,
        _ => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? null : "no accelerated 512-bit vectors: the CPU provider does not claim NchwcConv (AUTOGLM_NCHWC=1 forces it)",
    };
}
