using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Cli.Demo;
using OpenAutoGlm.Cli.Npy;

namespace OpenAutoGlm.Cli.Tests;

public class DemoTests
{
    /// <summary>The demo's ops; until every one has a CPU kernel the demo must fail naming the missing op.</summary>
    private static readonly string[] s_demoOps = DemoModel.Create().Graph.Nodes.Select(n => n.OpType).Distinct().ToArray();

    [Fact]
    public void Demo_uses_only_gemm_relu_softmax()
    {
        Assert.Equal(["Gemm", "Relu", "Softmax"], s_demoOps.Order());
    }

    [Fact]
    public void Run_without_a_model_runs_the_demo()
    {
        using var dir = new TempDirectory();
        var result = CliHarness.Run("run", "--output-dir", dir.Path);
        Assert.Contains("built-in demo", result.Stdout, StringComparison.Ordinal);

        string? missing = s_demoOps.FirstOrDefault(op => !CpuExecutionProvider.Registry.Contains(string.Empty, op));
        if (missing is not null)
        {
            Assert.Equal(ExitCodes.Failure, result.ExitCode);
            Assert.Contains(missing, result.Stderr, StringComparison.Ordinal);
            return;
        }

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("features", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("logits", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("probabilities", result.Stdout, StringComparison.Ordinal);

        var probabilities = NpyFile.Read(Path.Combine(dir.Path, "probabilities.npy"));
        Assert.Equal(new[] { 1, DemoModel.Classes }, probabilities.DimsArray());
        var p = probabilities.AsReadOnlySpan<float>().ToArray();
        Assert.All(p, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(1.0, p.Sum(), 5);
    }

    [Fact]
    public void Demo_weights_are_fixed()
    {
        var a = DemoModel.Create().Graph.Initializers["W1"].AsBytes().ToArray();
        var b = DemoModel.Create().Graph.Initializers["W1"].AsBytes().ToArray();
        Assert.Equal(a, b);
    }
}
