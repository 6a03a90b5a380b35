using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes.Fusion;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.Fusion.FusionHarness;

namespace OpenAutoGlm.Optimizer.Tests.Fusion;

public sealed class FuseRepVggTests
{
    private const int C = 4;

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void BranchesBecomeOneConv(bool identity, long group)
    {
        var feeds = new (string, Tensor)[] { ("x", Random(1, 2, C, 6, 6)) };
        var model = Optimize(() => RepVgg(identity, group, sameInput: true), [new FuseRepVgg(), new FuseConvActivation()], feeds, 1e-4, 1e-4);
        var conv = Assert.Single(model.Graph.Nodes);
        Assert.Equal("FusedConv", conv.OpType);
        Assert.Equal([3L, 3], conv.Attributes.GetInts("kernel_shape")!);
        Assert.Equal(group, conv.Attributes.GetInt("group"));
    }

    [Fact]
    public void SessionAtLevelAllFoldsTheBranchesAfterTheBasicBatchNormPasses()
    {
        // Basic passes run first: fold-conv-batchnorm folds the conv branches, decompose-batchnorm turns the identity
        // BatchNormalization into Mul + Add by per-channel constants; fuse-repvgg still sees the three branches.
        var x = Random(1, 2, C, 6, 6);
        var expected = GraphBuilder.Run(RepVgg(identity: true, group: 1, sameInput: true), ("x", x))["y"];
        var session = InferenceSession.Create(RepVgg(identity: true, group: 1, sameInput: true), new SessionOptions
        {
            Providers = [new CpuExecutionProvider()],
            OptimizationLevel = OptimizationLevel.All,
            StrictOptimization = true,
        });
        Assert.Contains("fuse-repvgg", session.OptimizationReport.PassesApplied);

        // One convolution is left; at level all it may run in the blocked layout (NchwcConv between reorders).
        var fused = Assert.Single(session.Model.Graph.Nodes, n => n.OpType is "FusedConv" or "NchwcConv");
        Assert.All(session.Model.Graph.Nodes.Where(n => n != fused), n => Assert.Contains(n.OpType, new[] { "ReorderInput", "ReorderOutput" }));
        TensorAssert.Close((Tensor)expected, (Tensor)session.Run(new Dictionary<string, DataValue> { ["x"] = x })["y"], 1e-4, 1e-4);
    }

    [Fact]
    public void BranchOverAnotherInputIsNotFused() => AssertUnchanged(() => RepVgg(identity: true, group: 1, sameInput: false), new FuseRepVgg());

    private static Tensor Positive(int seed, int n) => Tensor.Create(Random(seed, n).ToArray().Select(v => Math.Abs(v) + 0.1f).ToArray(), n);

    private static Model RepVgg(bool identity, long group, bool sameInput)
    {
        int cg = C / (int)group;
        var b = new ModelBuilder(13).Input("x", DataType.Float32, 2, C, 6, 6).Input("x2", DataType.Float32, 2, C, 6, 6)
            .Initializer("w3", Random(2, C, cg, 3, 3)).Initializer("w1", Random(3, C, cg, 1, 1));
        foreach (string bn in new[] { "a", "b", "i" })
        {
            int seed = bn[0] * 10;
            b = b.Initializer($"{bn}_g", Random(seed, C)).Initializer($"{bn}_b", Random(seed + 1, C)).Initializer($"{bn}_m", Random(seed + 2, C)).Initializer($"{bn}_v", Positive(seed + 3, C));
        }

        b = b.Node("Conv", ["x", "w3"], ["c3"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }), NodeAttribute.Of("group", group))
            .Node("BatchNormalization", ["c3", "a_g", "a_b", "a_m", "a_v"], ["n3"])
            .Node("Conv", [sameInput ? "x" : "x2", "w1"], ["c1"], NodeAttribute.Of("group", group))
            .Node("BatchNormalization", ["c1", "b_g", "b_b", "b_m", "b_v"], ["n1"])
            .Node("Add", ["n3", "n1"], ["s"]);
        string sum = "s";
        if (identity)
        {
            b = b.Node("BatchNormalization", ["x", "i_g", "i_b", "i_m", "i_v"], ["ni"]).Node("Add", ["s", "ni"], ["s2"]);
            sum = "s2";
        }

        var model = b.Node("Relu", [sum], ["y"]).Output("y").Build();
        if (sameInput)
        {
            model.Graph.Inputs.RemoveAll(i => i.Name == "x2");
        }

        return model;
    }
}
