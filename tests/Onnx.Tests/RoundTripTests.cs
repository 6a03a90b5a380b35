using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.TestKit;
using OpenAutoGlm.TestKit.BackendTests;
using Xunit.Abstractions;

namespace OpenAutoGlm.Onnx.Tests;

/// <summary>Every model of libonnx-testdata and of the model zoo cache survives load → save → load unchanged.</summary>
public sealed class RoundTripTests
{
    private readonly ITestOutputHelper _output;

    public RoundTripTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [OnnxTestDataFact("node")]
    public void NodeSuiteRoundTrips() => CheckSuite("node");

    [OnnxTestDataFact("pytorch-converted")]
    public void PytorchConvertedSuiteRoundTrips() => CheckSuite("pytorch-converted");

    [OnnxTestDataFact("pytorch-operator")]
    public void PytorchOperatorSuiteRoundTrips() => CheckSuite("pytorch-operator");

    [OnnxTestDataFact("simple")]
    public void SimpleSuiteRoundTrips() => CheckSuite("simple");

    [ZooFact]
    public void ZooModelsRoundTrip()
    {
        var models = Directory.EnumerateFiles(Path.Combine(RepoPaths.ZooCache, "models"), "model.onnx", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToList();
        CheckAll(models, models.Count == 0 ? "no model.onnx under the zoo cache" : null);
    }

    /// <summary>A round-tripped model still computes the expected outputs through a real session.</summary>
    [OnnxTestDataTheory("node")]
    [InlineData("test_add")]
    [InlineData("test_relu")]
    [InlineData("test_add_bcast")]
    public void RoundTrippedModelRunsInSession(string test)
    {
        var source = new BackendTestCase("node", test, Path.Combine(RepoPaths.OnnxTestData, "node", test));
        using var temp = new TempDirectory();
        var model = OnnxModelLoader.Load(source.ModelPath);
        OnnxModelSaver.Save(OnnxModelLoader.Load(OnnxModelSaver.ToBytes(model)), Path.Combine(temp.Path, "model.onnx"));
        foreach (var set in source.DataSets())
        {
            string target = Path.Combine(temp.Path, Path.GetFileName(set));
            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(set))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        var runner = new BackendTestRunner(() => [new CpuExecutionProvider()]);
        var result = runner.Run(source with { Directory = temp.Path });
        Assert.True(result.Status == BackendTestStatus.Pass, $"{test} after round-trip: {result.Status}: {result.Reason}");
    }

    private void CheckSuite(string suite)
    {
        var models = BackendTestCase.Discover(RepoPaths.OnnxTestData, suite).Select(c => c.ModelPath).ToList();
        CheckAll(models, models.Count == 0 ? $"no model.onnx under {suite}" : null);
    }

    private void CheckAll(List<string> models, string? emptyReason)
    {
        Assert.True(emptyReason is null, emptyReason);
        var failures = new List<string>();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var path in models)
        {
            string? why;
            try
            {
                why = RoundTrip.Check(path);
            }
            catch (Exception ex)
            {
                why = $"{ex.GetType().Name}: {ex.Message}";
            }

            if (why is not null)
            {
                failures.Add($"{path}: {why}");
            }
        }

        _output.WriteLine($"{models.Count - failures.Count} of {models.Count} models round-trip ({sw.Elapsed.TotalSeconds:0.0} s)");
        Assert.True(failures.Count == 0, $"{failures.Count} of {models.Count} models do not round-trip:\n{string.Join("\n", failures)}");
    }
}
