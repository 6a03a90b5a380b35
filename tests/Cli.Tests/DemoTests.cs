using OpenAutoGlm.Cli.Demo;
using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests;

public class DemoTests
{
    /// <summary>The demo's ops (all have CPU kernels: the README's main command must work).</summary>
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
    public void Demo_accepts_given_features_and_matches_a_reference_mlp()
    {
        using var dir = new TempDirectory();
        var features = new Tensor<float>(new[] { 0.5f, -0.25f, 1f, -1f, 0.1f, 0.2f, 0.3f, 0.4f }, [2, DemoModel.Features]);
        NpyFile.Write(dir.File("features.npy"), features);

        var result = CliHarness.Run("run", "--input", $"features={dir.File("features.npy")}", "-o", dir.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = ReferenceProbabilities(features.ToArray(), 2);
        var actual = NpyFile.Read(Path.Combine(dir.Path, "probabilities.npy")).AsReadOnlySpan<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }

    [Fact]
    public void Demo_weights_are_fixed()
    {
        var a = DemoModel.Create().Graph.Initializers["W1"].AsBytes().ToArray();
        var b = DemoModel.Create().Graph.Initializers["W1"].AsBytes().ToArray();
        Assert.Equal(a, b);
    }

    /// <summary>softmax(relu(x·W1 + b1)·W2 + b2) by naive loops in double precision.</summary>
    private static double[] ReferenceProbabilities(float[] x, int batch)
    {
        var init = DemoModel.Create().Graph.Initializers;
        var w1 = init["W1"].ToDoubleArray();
        var b1 = init["b1"].ToDoubleArray();
        var w2 = init["W2"].ToDoubleArray();
        var b2 = init["b2"].ToDoubleArray();
        const int f = DemoModel.Features, h = DemoModel.Hidden, c = DemoModel.Classes;
        var result = new double[batch * c];
        for (int n = 0; n < batch; n++)
        {
            var hidden = new double[h];
            for (int j = 0; j < h; j++)
            {
                double acc = b1[j];
                for (int k = 0; k < f; k++)
                {
                    acc += x[(n * f) + k] * w1[(k * h) + j];
                }

                hidden[j] = Math.Max(acc, 0);
            }

            var logits = new double[c];
            for (int j = 0; j < c; j++)
            {
                logits[j] = b2[j];
                for (int k = 0; k < h; k++)
                {
                    logits[j] += hidden[k] * w2[(k * c) + j];
                }
            }

            double max = logits.Max();
            double sum = logits.Sum(l => Math.Exp(l - max));
            for (int j = 0; j < c; j++)
            {
                result[(n * c) + j] = Math.Exp(logits[j] - max) / sum;
            }
        }

        return result;
    }
}
