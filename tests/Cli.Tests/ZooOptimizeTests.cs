using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using OpenAutoGlm.TestKit.BackendTests;

namespace OpenAutoGlm.Cli.Tests;

/// <summary>
/// `autoglm optimize` on every zoo model at levels basic and all: the written file loads back, runs with the
/// optimizer off (OptimizationLevel.None) and matches ONNX Runtime's reference outputs (rtol 1e-3, atol 1e-4).
/// Skipped, with the reason shown, without the zoo cache.
/// </summary>
public sealed class ZooOptimizeTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in BackendTestCase.Discover(RepoPaths.ZooCache, "models"))
        {
            data.Add(c.Name, "basic");
            data.Add(c.Name, "all");
        }

        return data;
    }

    [ZooCliTheory]
    [MemberData(nameof(Cases))]
    public void OptimizedModelMatchesOnnxRuntime(string modelName, string level)
    {
        var test = new BackendTestCase("models", modelName, Path.Combine(RepoPaths.ZooCache, "models", modelName));
        using var temp = new TempDirectory();
        string optimized = temp.File("optimized.onnx");
        var result = CliHarness.Run("optimize", test.ModelPath, "-o", optimized, "--level", level);
        Assert.True(result.ExitCode == 0, result.ToString());

        var model = OnnxModelLoader.Load(optimized);
        var session = InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()], OptimizationLevel = OptimizationLevel.None });
        Assert.Empty(session.OptimizationReport.Passes);
        foreach (var set in test.DataSets())
        {
            var feeds = new Dictionary<string, DataValue>(StringComparer.Ordinal);
            for (int i = 0; File.Exists(Path.Combine(set, $"input_{i}.pb")); i++)
            {
                feeds[model.Graph.Inputs[i].Name] = OnnxValueReader.ReadTensor(Path.Combine(set, $"input_{i}.pb"));
            }

            var outputs = session.Run(feeds);
            for (int i = 0; i < model.Graph.Outputs.Count; i++)
            {
                string expectedFile = Path.Combine(set, $"output_{i}.pb");
                if (File.Exists(expectedFile)
                    && TensorAssert.Compare(OnnxValueReader.ReadTensor(expectedFile), (Tensor)outputs[model.Graph.Outputs[i].Name], 1e-3, 1e-4) is { } why)
                {
                    Assert.Fail($"{modelName} ({level})/{Path.GetFileName(set)} output '{model.Graph.Outputs[i].Name}': {why}");
                }
            }
        }
    }
}
