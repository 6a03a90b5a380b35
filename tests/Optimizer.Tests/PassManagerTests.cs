using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Optimizer.Tests;

public sealed class PassManagerTests
{
    private static Model Chain() => new ModelBuilder()
        .Input("x", DataType.Float32, 2)
        .Node("Identity", ["x"], ["i"])
        .Node("Relu", ["i"], ["r"])
        .Node("Neg", ["r"], ["y"])
        .Output("y")
        .Build();

    [Fact]
    public void LevelNoneRunsNothing()
    {
        var model = Chain();
        var report = PassManager.Default.Run(model, OptimizationLevel.None);
        Assert.Empty(report.Passes);
        Assert.Equal(3, model.Graph.Nodes.Count);
    }

    [Fact]
    public void ReportNamesPassesRewritesAndOpCounts()
    {
        var model = Chain();
        var report = PassManager.Default.Run(model, OptimizationLevel.Basic);
        var fired = Assert.Single(report.Passes);
        Assert.Equal(("eliminate-identity", 1), (fired.Name, fired.Rewrites));
        Assert.Equal((3, 2), (report.NodesBefore, report.NodesAfter));
        Assert.Equal(1, report.OpsBefore["Identity"]);
        Assert.False(report.OpsAfter.ContainsKey("Identity"));
        Assert.Equal(1, report.OpsAfter["Relu"]);
    }

    [Fact]
    public void ThrowingPassLeavesTheGraphExactlyAsBeforeAndIsReportedWithItsNode()
    {
        var model = Chain();
        string before = GraphText.Format(model.Graph);
        var manager = new PassManager([new MutateThenThrow()]);
        var report = manager.Run(model, OptimizationLevel.All);
        Assert.Equal(before, GraphText.Format(model.Graph));
        var error = Assert.Single(report.PassErrors);
        Assert.Equal("mutate-then-throw", error.Pass);
        Assert.Contains("Neg", error.Node);
        Assert.Contains("broken on purpose", error.Message);
        Assert.Empty(report.Passes);
    }

    [Fact]
    public void NonAutoGlmExceptionsAreCaughtToo()
    {
        var model = Chain();
        string before = GraphText.Format(model.Graph);
        var report = new PassManager([new ThrowsPlainException(), new EliminateIdentity()]).Run(model, OptimizationLevel.Basic);
        Assert.Equal("plain-throw", Assert.Single(report.PassErrors).Pass);
        Assert.Null(report.PassErrors[0].Node);
        Assert.NotEqual(before, GraphText.Format(model.Graph));
        Assert.Equal(["eliminate-identity"], report.PassesApplied);
    }

    [Fact]
    public void StrictModeThrowsOptimizationExceptionNamingPassAndNodeAndRestores()
    {
        var model = Chain();
        string before = GraphText.Format(model.Graph);
        var ex = Assert.Throws<OptimizationException>(() => new PassManager([new MutateThenThrow()]).Run(model, OptimizationLevel.Basic, strict: true));
        Assert.Equal("mutate-then-throw", ex.PassName);
        Assert.Contains("mutate-then-throw", ex.Message);
        Assert.Contains("'Neg_2' (Neg)", ex.Message);
        Assert.Equal(before, GraphText.Format(model.Graph));
    }

    [Fact]
    public void DebugDumpsWriteBeforeAndAfterOfPassesThatChangedSomething()
    {
        using var temp = new TempDirectory();
        Environment.SetEnvironmentVariable("AUTOGLM_DEBUG", "1");
        Environment.SetEnvironmentVariable("AUTOGLM_DEBUG_DIR", temp.Path);
        try
        {
            var report = PassManager.Default.Run(Chain(), OptimizationLevel.Basic);
            Assert.NotNull(report.DumpDirectory);
            var files = Directory.GetFiles(report.DumpDirectory!).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(["01-eliminate-identity.after.txt", "01-eliminate-identity.before.txt"], files);
            Assert.Contains("Identity", File.ReadAllText(Path.Combine(report.DumpDirectory!, "01-eliminate-identity.before.txt")));
            Assert.DoesNotContain("Identity", File.ReadAllText(Path.Combine(report.DumpDirectory!, "01-eliminate-identity.after.txt")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLM_DEBUG", null);
            Environment.SetEnvironmentVariable("AUTOGLM_DEBUG_DIR", null);
        }
    }

    /// <summary>Removes nodes and rewires inputs, then fails at the Neg: the manager must undo all of it.</summary>
    private sealed class MutateThenThrow : NodeRewritePass
    {
        public override string Name => "mutate-then-throw";

        protected override bool TryRewrite(GraphEditor editor, Node node)
        {
            if (node.OpType == "Neg")
            {
                throw new GraphValidationException("broken on purpose");
            }

            node.Inputs[0] = "renamed";
            editor.Graph.Initializers["junk"] = Tensor.Scalar(1f);
            return true;
        }
    }

    private sealed class ThrowsPlainException : IGraphPass
    {
        public string Name => "plain-throw";

        public OptimizationLevel Level => OptimizationLevel.Basic;

        public bool Apply(Model model, PassContext context)
        {
            model.Graph.Nodes.Clear();
            throw new InvalidOperationException("not an AutoGlmException");
        }
    }
}
