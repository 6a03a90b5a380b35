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
    /// Skipped where the CPU provider does not claim NchwcConv (no accelerated 512-bit vectors, or AUTOGLM_NCHWC=0): the
    /// pass then changes nothing, which <see cref="NothingChangesWhenNoProviderClaimsNchwcConv"/> covers everywhere.
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
    /// concatenated, GlobalAveragePool, Flatten, Gemm.
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

    [Fact]
    public void SmallCnnKeepsItsOutputsWithOneReorderBeforeFlatten()
    {
        if (!ProviderClaimsNchwc())
        {
            return;
        }

        var session = AssertOutputsPreserved(SmallCnn, Feeds(("x", Random(1, 2, 3, 32, 32))), OptimizationLevel.All);
        var graph = session.Model.Graph;
        Assert.Equal(0, Count(session, "Conv"));
        Assert.Equal(0, Count(session, $"{Domain}.FusedConv"));
        Assert.Equal(0, Count(session, "MaxPool"));
        Assert.Equal(0, Count(session, "GlobalAveragePool"));
        Assert.Equal(5, Count(session, $"{Domain}.NchwcConv"));
        Assert.Equal(2, Count(session, $"{Domain}.NchwcPool"));

        // The first layer (3 channels) reads NCHW directly: nothing to reorder on the way in.
        Assert.Equal(0, Count(session, $"{Domain}.ReorderInput"));
        var reorder = Assert.Single(graph.Nodes, n => n.OpType == "ReorderOutput");
        Assert.Equal(32L, reorder.Attributes.GetInt("channels", 0));
        var flatten = Assert.Single(graph.Nodes, n => n.OpType == "Flatten");
        Assert.Equal(reorder.Outputs[0], flatten.Inputs[0]);

        // The 32-channel Concat of two whole blocks stayed blocked.
        var concat = Assert.Single(graph.Nodes, n => n.OpType == "Concat");
        Assert.All(concat.Inputs, i => Assert.Equal("NchwcConv", graph.Nodes.Single(n => n.Outputs.Contains(i)).OpType));
        Assert.Contains(Domain, session.Model.OpsetImports.Keys);
    }

    [Fact]
    public void ConvOutputThatIsAGraphOutputIsReorderedUnderItsOwnName()
    {
        if (!ProviderClaimsNchwc())
        {
            return;
        }

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

    [Theory]
    [InlineData("Softmax")]
    [InlineData("Reshape")]
    [InlineData("Div")]
    public void ConvOutputReadByAnUnconvertedOpIsReorderedJustBeforeIt(string reader)
    {
        if (!ProviderClaimsNchwc())
        {
            return;
        }

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

    [Fact]
    public void ConcatOfPartialBlocksStaysNchw()
    {
        if (!ProviderClaimsNchwc())
        {
            return;
        }

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

    [Fact]
    public void ChannelsOf20ThroughActivationsPoolsAndResidualAdd()
    {
        if (!ProviderClaimsNchwc())
        {
            return;
        }

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

    [Fact]
    public void AveragePoolWithPadsStaysNchw()
    {
        if (!ProviderClaimsNchwc())
        {
            return;
        }

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
