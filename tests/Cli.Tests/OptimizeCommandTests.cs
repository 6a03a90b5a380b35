using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests;

public class OptimizeCommandTests
{
    /// <summary>Conv → BatchNormalization → Identity → Relu: basic optimization leaves Conv → Relu.</summary>
    private static string SaveConvBnModel(string directory)
    {
        var rng = new Random(5);
        Tensor<float> R(params int[] dims) => Tensor.Create(Enumerable.Range(0, dims.Aggregate(1, (a, b) => a * b)).Select(_ => (float)rng.NextDouble() + 0.5f).ToArray(), dims);
        var model = new ModelBuilder(17)
            .Input("x", DataType.Float32, 1, 2, 4, 4)
            .Initializer("W", R(3, 2, 3, 3))
            .Initializer("gamma", R(3))
            .Initializer("beta", R(3))
            .Initializer("mean", R(3))
            .Initializer("var", R(3))
            .Node("Conv", ["x", "W"], ["c"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }))
            .Node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["b"])
            .Node("Identity", ["b"], ["i"])
            .Node("Relu", ["i"], ["y"])
            .Output("y")
            .Build();
        string path = Path.Combine(directory, "convbn.onnx");
        OnnxModelSaver.Save(model, path);
        return path;
    }

    private static Tensor RunUnoptimized(string path, Tensor x)
    {
        var session = InferenceSession.Create(OnnxModelLoader.Load(path), new SessionOptions { Providers = [new CpuExecutionProvider()], OptimizationLevel = OptimizationLevel.None });
        return (Tensor)session.Run(new Dictionary<string, DataValue> { ["x"] = x })["y"];
    }

    [Fact]
    public void Writes_an_onnx_file_that_runs_as_written_with_the_same_outputs()
    {
        using var dir = new TempDirectory();
        string input = SaveConvBnModel(dir.Path);
        string output = dir.File("out.onnx");

        var result = CliHarness.Run("optimize", input, "-o", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("4 -> 2 nodes", result.Stdout);
        var optimized = OnnxModelLoader.Load(output);
        Assert.Equal(["Conv", "Relu"], optimized.Graph.Nodes.Select(n => n.OpType));
        var x = Tensor.Create(Enumerable.Range(0, 32).Select(i => (float)Math.Sin(i)).ToArray(), 1, 2, 4, 4);
        var expected = RunUnoptimized(input, x);
        var actual = RunUnoptimized(output, x);
        Assert.Null(TensorAssert.Compare(expected, actual, 1e-5, 1e-5));
    }

    [Fact]
    public void Report_prints_passes_with_rewrites_and_op_counts_before_and_after()
    {
        using var dir = new TempDirectory();
        string input = SaveConvBnModel(dir.Path);

        // Level extended: the fusions without the blocked layout of level all (which would turn FusedConv into NchwcConv).
        var result = CliHarness.Run("optimize", input, "-o", dir.File("out.onnx"), "--report", "--level", "extended", "--strict");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Passes fired", result.Stdout);
        Assert.Matches(@"eliminate-identity\s+│\s+1\s+│", result.Stdout);
        Assert.Matches(@"fold-conv-batchnorm\s+│\s+1\s+│", result.Stdout);
        Assert.Matches(@"BatchNormalization\s+│\s+1\s+│\s+0\s+│\s+-1", result.Stdout);
        Assert.Matches(@"fuse-conv-activation\s+│\s+1\s+│", result.Stdout);
        Assert.Matches(@"ai\.autoglm\.FusedConv\s+│\s+0\s+│\s+1\s+│\s+\+1", result.Stdout);
        Assert.Matches(@"total\s+│\s+4\s+│\s+1\s+│\s+-3", result.Stdout);
    }

    [Fact]
    public void Missing_or_malformed_input_fails_with_a_message()
    {
        using var dir = new TempDirectory();
        var missing = CliHarness.Run("optimize", dir.File("nope.onnx"), "-o", dir.File("out.onnx"));
        Assert.Equal(ExitCodes.Failure, missing.ExitCode);
        Assert.Contains("nope.onnx", missing.Stderr);

        File.WriteAllBytes(dir.File("bad.onnx"), [0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]);
        var malformed = CliHarness.Run("optimize", dir.File("bad.onnx"), "-o", dir.File("out.onnx"));
        Assert.Equal(ExitCodes.Failure, malformed.ExitCode);
        Assert.StartsWith("error:", malformed.Stderr);
        Assert.False(File.Exists(dir.File("out.onnx")));
    }

    [Fact]
    public void Bad_arguments_are_usage_errors()
    {
        using var dir = new TempDirectory();
        string input = SaveConvBnModel(dir.Path);
        Assert.Equal(ExitCodes.Usage, CliHarness.Run("optimize", input).ExitCode);
        var level = CliHarness.Run("optimize", input, "-o", dir.File("o.onnx"), "--level", "turbo");
        Assert.Equal(ExitCodes.Usage, level.ExitCode);
        Assert.Contains("turbo", level.Stderr);
        var same = CliHarness.Run("optimize", input, "-o", input);
        Assert.Equal(ExitCodes.Usage, same.ExitCode);
        Assert.Contains("overwrite the input", same.Stderr);
    }
}
