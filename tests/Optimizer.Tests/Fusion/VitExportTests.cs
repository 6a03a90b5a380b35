using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Optimizer.Tests.Fusion;

/// <summary>
/// A real PyTorch 1.13 export of a tiny torchvision ViT (Data/export_vit_tiny.py): nn.MultiheadAttention's merged
/// batch-and-heads attention, the erf GELU, and at opset 13 the decomposed LayerNorm all fuse, and the output is kept.
/// </summary>
public sealed class VitExportTests
{
    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TinyVitFusesAndKeepsItsOutput(int opset)
    {
        string path = Path.Combine(RepoPaths.RepoRoot, "tests", "Optimizer.Tests", "Fusion", "Data", $"vit_tiny_op{opset}.onnx");
        var x = FusionHarness.Random(3, 1, 3, 8, 8);
        var expected = Run(OnnxModelLoader.Load(path), x);

        var model = OnnxModelLoader.Load(path);
        FusionHarness.Prepare(model);
        var report = PassManager.Default.Run(model, OptimizationLevel.All, strict: true, context: FusionHarness.CpuContext(model));
        TensorAssert.Close(expected, Run(model, x), 1e-4, 1e-5);

        Assert.Contains("fuse-attention", report.PassesApplied);
        Assert.Single(model.Graph.Nodes, n => n.OpType == "Attention");
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType is "Softmax" or "Erf" or "ReduceMean" or "Sqrt");
        Assert.Equal(2, FusionHarness.Count(model, "SkipLayerNormalization"));
        Assert.True(report.NodesAfter < report.NodesBefore, $"{report.NodesBefore} -> {report.NodesAfter}");
    }

    private static Tensor Run(Model model, Tensor x)
    {
        var session = InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()], OptimizationLevel = OptimizationLevel.None });
        return (Tensor)session.Run(new Dictionary<string, DataValue> { ["x"] = x })["y"];
    }
}
