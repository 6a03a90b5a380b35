using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.Cli.Running;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.TestKit;
using OpenAutoGlm.TestKit.BackendTests;

namespace OpenAutoGlm.Cli.Tests;

/// <summary>
/// The zoo check through the command line: every zoo model's reference inputs are written as .npy, fed to
/// `autoglm run --input NAME=FILE.npy... --output-dir DIR`, and the written outputs are compared with ONNX
/// Runtime's reference outputs (rtol 1e-3, atol 1e-4). Skipped, with the reason shown, without the zoo cache.
/// </summary>
public sealed class ZooCliTests
{
    public static TheoryData<string> Models()
    {
        var data = new TheoryData<string>();
        foreach (var c in BackendTestCase.Discover(RepoPaths.ZooCache, "models"))
        {
            data.Add(c.Name);
        }

        return data;
    }

    [ZooCliTheory]
    [MemberData(nameof(Models))]
    public void RunWithOutputDirMatchesOnnxRuntime(string modelName)
    {
        var test = new BackendTestCase("models", modelName, Path.Combine(RepoPaths.ZooCache, "models", modelName));
        var model = OnnxModelLoader.Load(test.ModelPath);
        var inputs = model.Graph.Inputs;
        foreach (var set in test.DataSets())
        {
            using var temp = new TempDirectory();
            var args = new List<string> { "run", test.ModelPath, "--output-dir", temp.File("out") };
            for (int i = 0; File.Exists(Path.Combine(set, $"input_{i}.pb")); i++)
            {
                var tensor = OnnxValueReader.ReadTensor(Path.Combine(set, $"input_{i}.pb"));
                string npy = temp.File($"input_{i}.npy");
                NpyFile.Write(npy, tensor);
                args.Add("--input");
                args.Add($"{inputs[i].Name}={npy}");
            }

            var result = CliHarness.Run([.. args]);
            Assert.True(result.ExitCode == 0, $"{modelName}/{Path.GetFileName(set)}: {result}");

            for (int i = 0; i < model.Graph.Outputs.Count; i++)
            {
                string expectedFile = Path.Combine(set, $"output_{i}.pb");
                if (!File.Exists(expectedFile))
                {
                    continue;
                }

                string name = model.Graph.Outputs[i].Name;
                var actual = NpyFile.Read(Path.Combine(temp.File("out"), OutputFiles.SafeFileName(name) + ".npy"));
                var expected = OnnxValueReader.ReadTensor(expectedFile);
                if (TensorAssert.Compare(expected, actual, 1e-3, 1e-4) is { } why)
                {
                    Assert.Fail($"{modelName}/{Path.GetFileName(set)} output '{name}': {why}");
                }
            }
        }
    }
}

/// <summary>A theory skipped, with the reason shown, when the zoo cache is missing.</summary>
public sealed class ZooCliTheoryAttribute : TheoryAttribute
{
    public ZooCliTheoryAttribute()
    {
        if (BackendTestCase.Discover(RepoPaths.ZooCache, "models").Count == 0)
        {
            Skip = $"zoo cache not found at {RepoPaths.ZooCache}/models: build it with `bash scripts/install-test-deps.sh`";
        }
    }
}
