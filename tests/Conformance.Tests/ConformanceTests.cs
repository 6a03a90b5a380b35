using System.Collections.Concurrent;
using System.Text;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using OpenAutoGlm.TestKit.BackendTests;
using Xunit.Abstractions;

namespace OpenAutoGlm.Conformance.Tests;

/// <summary>
/// Runs every test folder of libonnx-testdata (node, pytorch-converted, pytorch-operator, simple) on the CPU
/// provider, writes per-test statuses and a per-folder summary under artifacts/conformance/, and fails only when
/// a test listed in expected-pass.txt stops passing (so that list can only grow).
/// Environment: AUTOGLM_CONFORMANCE_FILTER (regex over "suite/test"), AUTOGLM_CONFORMANCE_UPDATE=1 (add newly
/// passing tests to tests/Conformance.Tests/expected-pass.txt), AUTOGLM_CONFORMANCE_LEVEL (none|basic|extended|all).
/// </summary>
public sealed class ConformanceTests
{
    public static readonly string[] Suites = ["node", "pytorch-converted", "pytorch-operator", "simple"];

    private readonly ITestOutputHelper _output;

    public ConformanceTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [TestDataFact]
    public void ExpectedPassListStillPasses()
    {
        var level = LevelFromEnvironment();
        var filter = Environment.GetEnvironmentVariable("AUTOGLM_CONFORMANCE_FILTER") is { Length: > 0 } f
            ? new System.Text.RegularExpressions.Regex(f)
            : null;

        var cases = Suites.SelectMany(s => BackendTestCase.Discover(RepoPaths.OnnxTestData, s))
            .Where(c => filter is null || filter.IsMatch(c.Id))
            .ToList();
        var runner = new BackendTestRunner(() => [new CpuExecutionProvider()], level) { Tolerances = Exceptions.Tolerances };
        var results = new ConcurrentBag<BackendTestResult>();
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) }, c => results.Add(runner.Run(c)));
        var ordered = results.OrderBy(r => r.Case.Id, StringComparer.Ordinal).ToList();

        string outDir = Path.Combine(RepoPaths.Artifacts, "conformance" + (level == OptimizationLevel.Basic ? string.Empty : $"-{LevelName(level)}"));
        Directory.CreateDirectory(outDir);
        File.WriteAllLines(Path.Combine(outDir, "results.tsv"), ordered.Select(r => $"{r.Case.Id}\t{r.Status.ToString().ToLowerInvariant()}\t{r.Elapsed.TotalSeconds:0.000}\t{r.Reason}"));
        string summary = Summarize(ordered, level, filter is not null);
        File.WriteAllText(Path.Combine(outDir, "summary.md"), summary);
        _output.WriteLine(summary);

        var expected = ExpectedPass.Load();
        var passing = ordered.Where(r => r.Status == BackendTestStatus.Pass).Select(r => r.Case.Id).ToHashSet(StringComparer.Ordinal);
        var ran = ordered.Select(r => r.Case.Id).ToHashSet(StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable("AUTOGLM_CONFORMANCE_UPDATE") == "1")
        {
            ExpectedPass.Add(passing);
        }

        var regressions = ordered.Where(r => expected.Contains(r.Case.Id) && r.Status != BackendTestStatus.Pass).ToList();
        var missing = filter is null ? expected.Where(id => !ran.Contains(id)).ToList() : [];
        if (regressions.Count > 0 || missing.Count > 0)
        {
            var sb = new StringBuilder();
            sb.AppendLine($"{regressions.Count} expected-pass tests no longer pass, {missing.Count} are missing:");
            foreach (var r in regressions)
            {
                sb.AppendLine($"  {r.Case.Id}: {r.Status}: {r.Reason}");
            }

            foreach (var m in missing)
            {
                sb.AppendLine($"  {m}: not found");
            }

            Assert.Fail(sb.ToString());
        }
    }

    /// <summary>"all" for <see cref="OptimizationLevel.All"/> (which is also the highest named level).</summary>
    /// <summary>AUTOGLM_CONFORMANCE_LEVEL (none|basic|extended|all; default basic), shared with the zoo tests.</summary>
    internal static OptimizationLevel LevelFromEnvironment() => Environment.GetEnvironmentVariable("AUTOGLM_CONFORMANCE_LEVEL") switch
    {
        "none" => OptimizationLevel.None,
        "extended" => OptimizationLevel.Extended,
        "all" or "layout" => OptimizationLevel.All,
        _ => OptimizationLevel.Basic,
    };

    internal static string LevelName(OptimizationLevel level) => level == OptimizationLevel.All ? "all" : level.ToString().ToLowerInvariant();

    private static string Summarize(List<BackendTestResult> results, OptimizationLevel level, bool filtered)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Conformance (libonnx-testdata, CPU provider, optimization level {LevelName(level)}{(filtered ? ", FILTERED" : string.Empty)})");
        sb.AppendLine();
        sb.AppendLine("| suite | tests | pass | fail | error | unsupported | pass % |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var suite in Suites.Append("total"))
        {
            var rs = suite == "total" ? results : results.Where(r => r.Case.Suite == suite).ToList();
            int Count(BackendTestStatus s) => rs.Count(r => r.Status == s);
            double pct = rs.Count == 0 ? 0 : 100.0 * Count(BackendTestStatus.Pass) / rs.Count;
            sb.AppendLine($"| {suite} | {rs.Count} | {Count(BackendTestStatus.Pass)} | {Count(BackendTestStatus.Fail)} | {Count(BackendTestStatus.Error)} | {Count(BackendTestStatus.Unsupported)} | {pct:0.0} |");
        }

        return sb.ToString();
    }
}

/// <summary>A fact that is skipped, with the reason shown, when libonnx-testdata is not installed.</summary>
public sealed class TestDataFactAttribute : FactAttribute
{
    public TestDataFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.OnnxTestData, "node")))
        {
            Skip = $"ONNX test data not found at {RepoPaths.OnnxTestData}: run `apt-get install -y libonnx-testdata` (the test script does)";
        }
    }
}
