using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.TestKit;
using OpenAutoGlm.TestKit.BackendTests;
using Xunit.Abstractions;

namespace OpenAutoGlm.Conformance.Tests;

/// <summary>
/// Runs the models built by ../shared/zoo (PyTorch exports with ONNX Runtime reference outputs in the backend-test
/// layout) through the API and compares with ONNX Runtime's outputs. Skipped, with the reason shown, when the zoo
/// cache is absent (scripts/install-test-deps.sh builds a subset; ZOO_DIR points elsewhere).
/// Tolerance: rtol 1e-3, atol 1e-4 — float32 summation order differs from ONNX Runtime's over thousands of terms.
/// </summary>
public sealed class ZooTests
{
    private readonly ITestOutputHelper _output;

    public ZooTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string> Models()
    {
        var data = new TheoryData<string>();
        foreach (var c in BackendTestCase.Discover(RepoPaths.ZooCache, "models"))
        {
            data.Add(c.Name);
        }

        return data;
    }

    [ZooTheory]
    [MemberData(nameof(Models))]
    public void MatchesOnnxRuntimeReference(string model)
    {
        var test = new BackendTestCase("models", model, Path.Combine(RepoPaths.ZooCache, "models", model));
        var level = ConformanceTests.LevelFromEnvironment();
        var runner = new BackendTestRunner(() => [new CpuExecutionProvider()], level, TimeSpan.FromMinutes(5))
        {
            Tolerances = new Dictionary<string, (double, double)> { [test.Id] = (1e-3, 1e-4) },

            // An element a kernel forgets to write is NaN instead of a plausible stale value.
            PoisonUninitializedOutputs = true,
        };
        var result = runner.Run(test);
        string line = $"| {model} | {result.Status.ToString().ToLowerInvariant()} | {result.Elapsed.TotalSeconds:0.0} | {result.Reason} |";
        _output.WriteLine(line);
        ZooSummary.Record(model, line, level);
        Assert.True(result.Status == BackendTestStatus.Pass, $"{model}: {result.Status}: {result.Reason}");
    }
}

/// <summary>Collects per-model lines into artifacts/zoo/summary.md.</summary>
internal static class ZooSummary
{
    private static readonly object s_lock = new();
    private static readonly SortedDictionary<string, string> s_lines = new(StringComparer.Ordinal);

    public static void Record(string model, string line, OptimizationLevel level)
    {
        lock (s_lock)
        {
            s_lines[model] = line;
            string dir = Path.Combine(RepoPaths.Artifacts, level == OptimizationLevel.Basic ? "zoo" : $"zoo-{ConformanceTests.LevelName(level)}");
            Directory.CreateDirectory(dir);
            var text = $"Zoo models vs ONNX Runtime reference outputs (API path, CPU provider, optimization level {ConformanceTests.LevelName(level)})\n\n| model | status | seconds | reason |\n|---|---|---:|---|\n"
                + string.Join("\n", s_lines.Values) + "\n";
            File.WriteAllText(Path.Combine(dir, "summary.md"), text);
        }
    }
}

/// <summary>A theory skipped, with the reason shown, when the zoo cache is missing.</summary>
public sealed class ZooTheoryAttribute : TheoryAttribute
{
    public ZooTheoryAttribute()
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.ZooCache, "models")) || BackendTestCase.Discover(RepoPaths.ZooCache, "models").Count == 0)
        {
            Skip = $"zoo cache not found at {RepoPaths.ZooCache}: build it with `bash scripts/install-test-deps.sh` (or ../shared/zoo/build_zoo.sh)";
        }
    }
}
