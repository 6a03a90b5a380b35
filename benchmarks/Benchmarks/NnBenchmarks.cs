using BenchmarkDotNet.Attributes;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Benchmarks;

/// <summary>3×3 convolutions (pad 1, stride 1) at ResNet stage shapes, weights constant.</summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private KernelHarness? _conv;

    /// <summary>Channels in = out, spatial size: ResNet stage 1 (64, 56×56) and stage 3 (256, 14×14).</summary>
    [Params("64x56", "256x14")]
    public string Stage { get; set; } = "64x56";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Stage.Split('x');
        int c = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        int hw = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var node = new Node("Conv", ["x", "w", "b"], ["y"], "conv");
        node.Attributes.Set(NodeAttribute.Of("kernel_shape", new long[] { 3, 3 }));
        node.Attributes.Set(NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }));
        _conv = new KernelHarness(node, 17, [KernelHarness.Random(1, 1, c, hw, hw), KernelHarness.Random(2, c, c, 3, 3), KernelHarness.Random(3, c)], [false, true, true]);
    }

    [Benchmark]
    public void Conv3x3() => _conv!.Run();
}

/// <summary>Softmax over the last axis of BERT-base attention scores [12 heads, 128, 128].</summary>
[MemoryDiagnoser]
public class SoftmaxBenchmarks
{
    private KernelHarness? _softmax;

    [GlobalSetup]
    public void Setup() =>
        _softmax = new KernelHarness(new Node("Softmax", ["x"], ["y"], "softmax"), 17, [KernelHarness.Random(1, 12, 128, 128)], [false]);

    [Benchmark]
    public void Softmax() => _softmax!.Run();
}

/// <summary>LayerNormalization over the hidden axis of [128 tokens, 768] (BERT-base), scale and bias constant.</summary>
[MemoryDiagnoser]
public class LayerNormBenchmarks
{
    private KernelHarness? _layerNorm;

    [GlobalSetup]
    public void Setup()
    {
        var node = new Node("LayerNormalization", ["x", "scale", "bias"], ["y"], "ln");
        node.Attributes.Set(NodeAttribute.Of("axis", -1L));
        _layerNorm = new KernelHarness(node, 17, [KernelHarness.Random(1, 128, 768), KernelHarness.Random(2, 768), KernelHarness.Random(3, 768)], [false, true, true]);
    }

    [Benchmark]
    public void LayerNorm() => _layerNorm!.Run();
}
