using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using Xunit.Abstractions;

namespace OpenAutoGlm.Optimizer.Tests.Fusion;

/// <summary>
/// Zoo evidence: each model of the zoo subset loaded into an InferenceSession at level All (strict optimization, CPU
/// provider), run and compared with ONNX Runtime's reference outputs (rtol 1e-3, atol 1e-4 as in Conformance.Tests'
/// ZooTests), with the fused structure asserted; the optimized model is also saved as ONNX, loaded back and run
/// unoptimized against the same references. Skipped, with the reason shown, when the zoo cache is absent. Node counts
/// go to the test output and artifacts/zoo/fusion.md.
/// </summary>
public sealed class ZooFusionTests
{
    private static readonly object s_lock = new();
    private static readonly SortedDictionary<string, string> s_lines = new(StringComparer.Ordinal);
    private readonly ITestOutputHelper _output;

    public ZooFusionTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [ZooFact]
    public void BertSmall() => Bert("bert_small_op17");

    /// <summary>At opset 13 LayerNormalization does not exist in ONNX: the exporter decomposes it, and GELU too.</summary>
    [ZooModelFact("bert_small_op13")]
    public void BertSmallOpset13() => Bert("bert_small_op13");

    [ZooFact]
    public void Gpt2Tiny() => Gpt2("gpt2_tiny_op17");

    [ZooModelFact("gpt2_tiny_op13")]
    public void Gpt2TinyOpset13() => Gpt2("gpt2_tiny_op13");

    private void Bert(string model)
    {
        var (before, after) = OptimizeAndCompare(model);
        AssertNoDecomposedNormOrGelu(after);
        Assert.Equal(4, Count(after, "Attention"));
        Assert.Equal(4, Count(after, "Gelu") + after.Graph.Nodes.Count(n => n.Attributes.TryGet("activation", out var a) && (string)a.Value == "Gelu"));
        Assert.True(after.Graph.Nodes.Count < before / 2, $"{after.Graph.Nodes.Count} nodes after fusion, {before} before");
    }

    private void Gpt2(string model)
    {
        var (before, after) = OptimizeAndCompare(model);
        AssertNoDecomposedNormOrGelu(after);
        var attention = after.Graph.Nodes.Where(n => n.OpType == "Attention").ToList();
        Assert.Equal(2, attention.Count);
        Assert.All(attention, a => Assert.Equal(6, a.Inputs.Count));
        Assert.All(attention, a => Assert.Equal(3, a.Outputs.Count));
        Assert.DoesNotContain(after.Graph.Nodes, n => n.OpType is "Softmax" or "Erf" or "Tanh" or "Pow");
        Assert.True(after.Graph.Nodes.Count < before, $"{after.Graph.Nodes.Count} nodes after fusion, {before} before");
    }

    [ZooFact]
    public void Resnet18()
    {
        // The exporter already folded BatchNormalization into the convolutions (eval-mode export).
        var (_, after) = OptimizeAndCompare("resnet18_op17");
        Assert.Equal(0, Count(after, "BatchNormalization", string.Empty));
        Assert.DoesNotContain(after.Graph.Nodes, n => n.OpType is "Relu" or "Add");
        Assert.Equal(8, after.Graph.Nodes.Count(n => IsFusedConv(n) && n.Inputs.Count == 4));
    }

    [ZooFact]
    public void MobilenetV2()
    {
        var (_, after) = OptimizeAndCompare("mobilenet_v2_op17");
        Assert.Equal(0, Count(after, "BatchNormalization", string.Empty));
        Assert.DoesNotContain(after.Graph.Nodes, n => n.OpType is "Clip" or "Add");
        // 35 convolutions end in Clip (Relu6); at level all the large expand + depthwise pairs are one NchwcExpandDepthwise with two.
        int clips = after.Graph.Nodes.Sum(n =>
            (IsFusedConv(n) || n.OpType == "NchwcExpandDepthwise" ? (n.Attributes.GetString("activation", string.Empty) == "Clip" ? 1 : 0) : 0)
            + (n.OpType == "NchwcExpandDepthwise" && n.Attributes.GetString("expand_activation", string.Empty) == "Clip" ? 1 : 0));
        Assert.Equal(35, clips);
    }

    [ZooFact]
    public void Squeezenet()
    {
        var (_, after) = OptimizeAndCompare("squeezenet1_1_op17");
        Assert.Equal(0, Count(after, "BatchNormalization", string.Empty));
        Assert.Equal(0, Count(after, "Conv", string.Empty));
        Assert.Equal(0, Count(after, "Relu", string.Empty));
    }

    private static int Count(Model model, string op, string domain = OpSchemas.AutoGlmDomain) => FusionHarness.Count(model, op, domain);

    /// <summary>A fused convolution: FusedConv, or its blocked-layout form at level all (same inputs and attributes).</summary>
    private static bool IsFusedConv(Node n) => n.Domain == OpSchemas.AutoGlmDomain && n.OpType is "FusedConv" or "NchwcConv";

    private static void AssertNoDecomposedNormOrGelu(Model model)
    {
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType is "ReduceMean" or "Sqrt" or "Erf");
        Assert.DoesNotContain(model.Graph.Nodes, n => n.Domain.Length == 0 && n.OpType == "LayerNormalization");
        Assert.True(Count(model, "SkipLayerNormalization") > 0);
    }

    private (int NodesBefore, Model Optimized) OptimizeAndCompare(string name)
    {
        string dir = Path.Combine(RepoPaths.ZooCache, "models", name);
        Assert.True(File.Exists(Path.Combine(dir, "model.onnx")), $"zoo model {dir} is missing");
        var original = OnnxModelLoader.Load(Path.Combine(dir, "model.onnx"));
        int before = original.Graph.Nodes.Count;
        var histogramBefore = Histogram(original);
        var session = InferenceSession.Create(original, new SessionOptions
        {
            Providers = [new CpuExecutionProvider()],
            OptimizationLevel = OptimizationLevel.All,
            StrictOptimization = true,
        });
        var model = session.Model;
        var report = session.OptimizationReport;
        var reloaded = InferenceSession.Create(
            OnnxModelLoader.Load(OnnxModelSaver.ToBytes(model)),
            new SessionOptions { Providers = [new CpuExecutionProvider()], OptimizationLevel = OptimizationLevel.None });
        int sets = 0;
        foreach (var set in Directory.GetDirectories(dir, "test_data_set_*").Order(StringComparer.Ordinal))
        {
            sets++;
            var feeds = new Dictionary<string, DataValue>(StringComparer.Ordinal);
            for (int i = 0; File.Exists(Path.Combine(set, $"input_{i}.pb")); i++)
            {
                feeds[model.Graph.Inputs[i].Name] = OnnxValueReader.Read(Path.Combine(set, $"input_{i}.pb"), model.Graph.Inputs[i].Type);
            }

            foreach (var (label, s) in new[] { ("session", session), ("saved and reloaded", reloaded) })
            {
                var results = s.Run(feeds);
                for (int i = 0; i < s.Outputs.Count; i++)
                {
                    var expected = (Tensor)OnnxValueReader.Read(Path.Combine(set, $"output_{i}.pb"), s.Outputs[i].Type);
                    if (TensorAssert.Compare(expected, (Tensor)results[s.Outputs[i].Name], 1e-3, 1e-4) is { } why)
                    {
                        Assert.Fail($"{name} {Path.GetFileName(set)} output '{s.Outputs[i].Name}' after fusion ({label}): {why}");
                    }
                }
            }
        }

        Assert.True(sets > 0, $"{dir} has no test_data_set folder");
        string line = $"| {name} | {before} | {model.Graph.Nodes.Count} | {string.Join(", ", report.PassesApplied)} | {histogramBefore} | {Histogram(model)} |";
        _output.WriteLine(line);
        Record(name, line);
        return (before, model);
    }

    private static string Histogram(Model model) =>
        string.Join(" ", model.Graph.Nodes.GroupBy(n => n.OpType).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}"));

    private static void Record(string model, string line)
    {
        lock (s_lock)
        {
            s_lines[model] = line;
            string dir = Path.Combine(RepoPaths.Artifacts, "zoo");
            Directory.CreateDirectory(dir);
            File.WriteAllText(
                Path.Combine(dir, "fusion.md"),
                "Zoo models at optimization level All (CPU provider claims), outputs checked against ONNX Runtime's\n\n| model | nodes before | nodes after | passes | ops before | ops after |\n|---|---:|---:|---|---|---|\n"
                + string.Join("\n", s_lines.Values) + "\n");
        }
    }
}
