using System.Text.Json;
using OpenAutoGlm.Cli.Benchmarking;
using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests;

public class BenchCommandTests
{
    private static readonly string[] s_leadingKeys =
        ["model", "batch", "threads", "runs", "median_ms", "p90_ms", "p99_ms", "throughput_per_s", "peak_memory_bytes"];

    private static JsonElement SingleJsonLine(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        string text = result.Stdout.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public void Json_prints_one_line_with_the_documented_keys_first_and_numbers_where_numbers_belong()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveBenchModel(dir.Path);

        var json = SingleJsonLine(CliHarness.Run("bench", model, "--json", "--runs", "4", "--warmup", "1", "--batch", "3", "--threads", "1"));

        Assert.Equal(s_leadingKeys, json.EnumerateObject().Select(p => p.Name).Take(s_leadingKeys.Length));
        Assert.Equal(model, json.GetProperty("model").GetString());
        Assert.Equal(3, json.GetProperty("batch").GetInt32());
        Assert.Equal(1, json.GetProperty("threads").GetInt32());
        Assert.Equal(4, json.GetProperty("runs").GetInt32());
        foreach (var key in new[] { "median_ms", "p90_ms", "p99_ms", "throughput_per_s", "mean_ms", "min_ms", "max_ms", "timed_seconds" })
        {
            Assert.Equal(JsonValueKind.Number, json.GetProperty(key).ValueKind);
            Assert.True(json.GetProperty(key).GetDouble() > 0, key);
        }

        double min = json.GetProperty("min_ms").GetDouble();
        double median = json.GetProperty("median_ms").GetDouble();
        double p90 = json.GetProperty("p90_ms").GetDouble();
        double p99 = json.GetProperty("p99_ms").GetDouble();
        Assert.True(min <= median && median <= p90 && p90 <= p99 && p99 <= json.GetProperty("max_ms").GetDouble());

        // items/s = batch * runs / timed seconds.
        double expected = 3 * 4 / json.GetProperty("timed_seconds").GetDouble();
        Assert.InRange(json.GetProperty("throughput_per_s").GetDouble(), expected * 0.99, expected * 1.01);

        // h, r and y are [3,8] float32 (96 bytes each); at the Relu and Softmax steps two of them are live.
        Assert.Equal(192, json.GetProperty("peak_memory_bytes").GetInt64());
        Assert.Equal(288, json.GetProperty("allocated_bytes_per_run").GetInt64());

        // The arena rents in size classes (24 floats -> the 64-element class, 256 bytes): r reuses nothing while h
        // is read, y takes h's block after Relu frees it, so two blocks suffice instead of three.
        Assert.Equal(512, json.GetProperty("arena_peak_bytes").GetInt64());
        Assert.True(json.GetProperty("process_peak_working_set_bytes").GetInt64() > 1 << 20);
    }

    [Fact]
    public void Batch_sweep_prints_one_json_line_per_batch_size()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveBenchModel(dir.Path);

        var result = CliHarness.Run("bench", model, "--json", "--runs", "2", "--warmup", "0", "--batch-sweep", "1,2,8");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 2, 8], lines.Select(l => l.GetProperty("batch").GetInt32()));
        Assert.Equal([64L, 128L, 512L], lines.Select(l => l.GetProperty("peak_memory_bytes").GetInt64()));
    }

    [Fact]
    public void Profile_writes_a_chrome_trace_with_an_X_event_for_every_node_of_every_timed_run()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveBenchModel(dir.Path);
        string trace = dir.File("trace/bench.json");

        var json = SingleJsonLine(CliHarness.Run("bench", model, "--json", "--runs", "3", "--warmup", "2", "--profile", trace));

        Assert.Equal(3, json.GetProperty("runs").GetInt32());
        using var doc = JsonDocument.Parse(File.ReadAllBytes(trace));
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        Assert.All(events, e =>
        {
            Assert.Equal("X", e.GetProperty("ph").GetString());
            foreach (var key in new[] { "name", "cat", "ts", "dur", "pid", "tid", "args" })
            {
                Assert.True(e.TryGetProperty(key, out _), key);
            }
        });
        Assert.Equal(3, events.Count(e => e.GetProperty("cat").GetString() == "run"));
        var nodes = events.Where(e => e.GetProperty("cat").GetString() == "node").ToList();
        for (int run = 0; run < 3; run++)
        {
            var names = nodes.Where(e => e.GetProperty("args").GetProperty("run").GetInt32() == run).Select(e => e.GetProperty("name").GetString()).ToList();
            Assert.Equal(["MatMul_0", "Relu_1", "Softmax_2"], names);
        }

        Assert.Equal(["MatMul", "Relu", "Softmax"], nodes.Take(3).Select(e => e.GetProperty("args").GetProperty("op_type").GetString()));
    }

    [Fact]
    public void Text_mode_shows_latency_memory_and_the_per_op_table()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveBenchModel(dir.Path);

        var result = CliHarness.Run("bench", model, "--runs", "3", "--warmup", "1", "--batch", "5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("x  float32 [5,8]  (random, seed 0)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Latency (ms)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Peak memory: 320 B of live tensors", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("arena high-water mark", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Time per op type (batch 5, 3 timed runs)", result.Stdout, StringComparison.Ordinal);
        foreach (var op in new[] { "MatMul", "Relu", "Softmax" })
        {
            Assert.Contains($"│ {op}", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Given_inputs_set_the_reported_batch_and_must_agree_with_batch()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveBenchModel(dir.Path);
        NpyFile.Write(dir.File("x.npy"), new Tensor<float>([6, 8]));

        var json = SingleJsonLine(CliHarness.Run("bench", model, "--json", "--runs", "1", "--warmup", "0", "--input", $"x={dir.File("x.npy")}"));
        Assert.Equal(6, json.GetProperty("batch").GetInt32());

        var mismatch = CliHarness.Run("bench", model, "--json", "--runs", "1", "--batch", "2", "--input", $"x={dir.File("x.npy")}");
        Assert.Equal(ExitCodes.Usage, mismatch.ExitCode);
        Assert.Contains("--input x: the file's leading (batch) dim is 6, but the batch size is 2", mismatch.Stderr, StringComparison.Ordinal);
        Assert.Empty(mismatch.Stdout);
    }

    [Theory]
    [InlineData("--runs", "0", "--runs 0: at least one timed run is needed")]
    [InlineData("--runs", "-3", "--runs -3: at least one timed run is needed")]
    [InlineData("--warmup", "-1", "--warmup -1: must be 0 or more")]
    [InlineData("--duration", "-2", "--duration -2: must be 0 or more seconds")]
    [InlineData("--threads", "0", "--threads 0: must be at least 1")]
    [InlineData("--batch", "0", "--batch 0: must be at least 1")]
    [InlineData("--batch-sweep", "1,x", "--batch-sweep '1,x': expected batch sizes of at least 1")]
    [InlineData("--batch-sweep", "2,0", "--batch-sweep '2,0': expected batch sizes of at least 1")]
    public void Bad_numbers_are_usage_errors(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveBenchModel(dir.Path);

        var result = CliHarness.Run("bench", model, option, value);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"error: {message}", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Cache_dir_makes_the_second_session_a_warm_start_with_the_level_reported()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveBenchModel(dir.Path);
        string cache = Path.Combine(dir.Path, "cache");

        var cold = SingleJsonLine(CliHarness.Run("bench", model, "--json", "--runs", "1", "--warmup", "0", "--level", "all", "--cache-dir", cache));
        var warm = SingleJsonLine(CliHarness.Run("bench", model, "--json", "--runs", "1", "--warmup", "0", "--level", "all", "--cache-dir", cache));
        var other = SingleJsonLine(CliHarness.Run("bench", model, "--json", "--runs", "1", "--warmup", "0", "--level", "basic", "--cache-dir", cache));

        Assert.False(cold.GetProperty("cache_hit").GetBoolean());
        Assert.True(warm.GetProperty("cache_hit").GetBoolean());
        Assert.False(other.GetProperty("cache_hit").GetBoolean());
        Assert.Equal("all", warm.GetProperty("level").GetString());
        Assert.Equal("basic", other.GetProperty("level").GetString());
        Assert.Equal(2, Directory.GetFiles(cache, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void Unknown_level_is_a_usage_error()
    {
        var result = CliHarness.Run("bench", "m.onnx", "--level", "fastest");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("fastest", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_and_batch_sweep_cannot_be_combined()
    {
        var result = CliHarness.Run("bench", "m.onnx", "--batch", "2", "--batch-sweep", "1,2");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--batch and --batch-sweep cannot be combined", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_input_name_is_a_usage_error_listing_the_inputs()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveBenchModel(dir.Path);
        NpyFile.Write(dir.File("x.npy"), new Tensor<float>([1, 8]));

        var result = CliHarness.Run("bench", model, "--json", "--input", $"nope={dir.File("x.npy")}");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("the model has no input 'nope'; its inputs are: x", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Malformed_npy_is_a_usage_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        string model = TestModels.SaveBenchModel(dir.Path);
        File.WriteAllText(dir.File("x.npy"), "not numpy");

        var result = CliHarness.Run("bench", model, "--json", "--input", $"x={dir.File("x.npy")}");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"error: {dir.File("x.npy")}: not a .npy file", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Missing_model_is_a_model_error()
    {
        var result = CliHarness.Run("bench", "/nonexistent/model.onnx", "--json");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("error: model file '/nonexistent/model.onnx' not found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_documents_every_option()
    {
        var result = CliHarness.Run("bench", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--input <NAME=FILE>", "--batch <N>", "--batch-sweep <N,N,...>", "--threads <N>", "--runs <N>", "--warmup <N>", "--duration <S>", "--profile <FILE>", "--json" })
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new double[] { 5 }, 50, 5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 50, 2)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 90, 4)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 90, 9)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 99, 10)]
    public void Percentiles_use_the_nearest_rank(double[] sorted, double p, double expected) =>
        Assert.Equal(expected, LatencyStats.Percentile(sorted, p));

    [Fact]
    public void Stats_are_order_independent()
    {
        var stats = LatencyStats.From([4, 1, 3, 2]);
        Assert.Equal(new LatencyStats(4, 2.5, 1, 4, 2, 4, 4), stats);
    }
}
