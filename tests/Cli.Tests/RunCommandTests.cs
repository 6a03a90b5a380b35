using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests;

public class RunCommandTests
{
    [Fact]
    public void Runs_with_given_inputs_and_writes_outputs_as_npy()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);
        var x = new Tensor<float>(new[] { -1f, 0.5f, 2f, -3f, 4f, 0f }, [2, 3]);
        var ids = new Tensor<long>(new long[] { 5, 6, 7, 8, 9, 10, 11, 12 }, [2, 4]);
        NpyFile.Write(dir.File("x.npy"), x);
        NpyFile.Write(dir.File("ids.npy"), ids);
        string outDir = dir.File("out");

        var result = CliHarness.Run("run", model, "--input", $"x={dir.File("x.npy")}", "-i", $"ids={dir.File("ids.npy")}", "--output-dir", outDir);

        Assert.True(result.ExitCode == 0, result.ToString());
        var y = NpyFile.Read(Path.Combine(outDir, "y.npy"));
        Assert.Equal(new[] { 2, 3 }, y.DimsArray());
        Assert.Equal(new[] { 0f, 0.5f, 2f, 0f, 4f, 0f }, y.AsReadOnlySpan<float>().ToArray());
        var idsOut = NpyFile.Read(Path.Combine(outDir, "ids_copy_0.npy"));
        Assert.Equal(ids.ToArray(), idsOut.AsReadOnlySpan<long>().ToArray());
        Assert.Equal(new[] { 2, 4 }, idsOut.DimsArray());

        Assert.Contains("float32 [2,3]  min=0 max=4 mean=1.08333  [0, 0.5, 2, 0, 4, 0]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("ids/copy:0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"from {dir.File("x.npy")}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Ran in ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Wrote 2 .npy files to {outDir}", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Fills_missing_inputs_with_seeded_random_data()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);

        var result = CliHarness.Run("run", model, "--output-dir", dir.File("a"), "--seed", "5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("random, seed 5", result.Stdout, StringComparison.Ordinal);

        // x is uniform in [-1, 1), so relu(x + 0) lies in [0, 1).
        var y = NpyFile.Read(Path.Combine(dir.File("a"), "y.npy")).AsReadOnlySpan<float>().ToArray();
        Assert.All(y, v => Assert.InRange(v, 0f, 0.99999f));
        Assert.Contains(y, v => v > 0);

        // The symbolic batch dim becomes 1; ids-like inputs stay in [0, 10).
        var ids = NpyFile.Read(Path.Combine(dir.File("a"), "ids_copy_0.npy"));
        Assert.Equal(new[] { 1, 4 }, ids.DimsArray());
        Assert.All(ids.AsReadOnlySpan<long>().ToArray(), v => Assert.InRange(v, 0, 9));
    }

    [Fact]
    public void Random_inputs_depend_only_on_the_seed()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);

        Assert.Equal(0, CliHarness.Run("run", model, "-o", dir.File("s1"), "--seed", "1").ExitCode);
        Assert.Equal(0, CliHarness.Run("run", model, "-o", dir.File("s1again"), "--seed", "1").ExitCode);
        Assert.Equal(0, CliHarness.Run("run", model, "-o", dir.File("s2"), "--seed", "2").ExitCode);

        byte[] Bytes(string sub) => File.ReadAllBytes(Path.Combine(dir.File(sub), "y.npy"));
        Assert.Equal(Bytes("s1"), Bytes("s1again"));
        Assert.NotEqual(Bytes("s1"), Bytes("s2"));
    }

    [Fact]
    public void Reads_onnx_tensorproto_inputs()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);
        File.WriteAllBytes(dir.File("x.pb"), OnnxValueReader.Write(new Tensor<float>(new[] { 1f, -1f, 1f, -1f, 1f, -1f }, [2, 3])));

        var result = CliHarness.Run("run", model, "--input", $"x={dir.File("x.pb")}", "-o", dir.File("out"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new[] { 1f, 0f, 1f, 0f, 1f, 0f }, NpyFile.Read(Path.Combine(dir.File("out"), "y.npy")).AsReadOnlySpan<float>().ToArray());
    }

    [Theory]
    [InlineData("x")]
    [InlineData("=x.npy")]
    [InlineData("x=")]
    public void Bad_input_syntax_is_a_usage_error(string spec)
    {
        var result = CliHarness.Run("run", "/does/not/matter.onnx", "--input", spec);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"error: --input '{spec}': expected NAME=FILE", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_input_name_is_a_usage_error_listing_the_inputs()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);
        NpyFile.Write(dir.File("x.npy"), new Tensor<float>([2, 3]));

        var result = CliHarness.Run("run", model, "--input", $"nope={dir.File("x.npy")}");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("the model has no input 'nope'; its inputs are: x, ids", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_dtype_names_the_input_and_both_dtypes()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);
        NpyFile.Write(dir.File("x.npy"), new Tensor<long>([2, 3]));

        var result = CliHarness.Run("run", model, "--input", $"x={dir.File("x.npy")}");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"error: input 'x' ({dir.File("x.npy")}): expected dtype float32, got int64", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_shape_names_the_input_and_both_shapes()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);
        NpyFile.Write(dir.File("x.npy"), new Tensor<float>([3, 3]));

        var result = CliHarness.Run("run", model, "--input", $"x={dir.File("x.npy")}");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("input 'x'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("expected shape [2,3], got [3,3]", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_or_missing_input_file_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);
        File.WriteAllText(dir.File("x.npy"), "not numpy");

        var malformed = CliHarness.Run("run", model, "--input", $"x={dir.File("x.npy")}");
        Assert.Equal(ExitCodes.Usage, malformed.ExitCode);
        Assert.Contains($"error: {dir.File("x.npy")}: not a .npy file", malformed.Stderr, StringComparison.Ordinal);

        var missing = CliHarness.Run("run", model, "--input", "x=/nonexistent/x.npy");
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("x=/nonexistent/x.npy: file not found", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_input_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveRunModel(dir.Path);
        NpyFile.Write(dir.File("x.npy"), new Tensor<float>([2, 3]));

        var result = CliHarness.Run("run", model, "-i", $"x={dir.File("x.npy")}", "-i", $"x={dir.File("x.npy")}");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--input x is given more than once", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sequence_inputs_must_be_provided()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveSequenceInputModel(dir.Path);

        var result = CliHarness.Run("run", model);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("input 'items' is seq(float32[?]); random values can only be generated for tensors", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_is_a_model_error()
    {
        var result = CliHarness.Run("run", "/nonexistent/model.onnx");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("error: model file '/nonexistent/model.onnx' not found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_seed_is_a_usage_error()
    {
        var result = CliHarness.Run("run", "--seed", "abc");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error: ", result.Stderr, StringComparison.Ordinal);
    }
}
