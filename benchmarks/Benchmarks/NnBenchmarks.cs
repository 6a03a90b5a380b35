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

/// <summary>
/// MobileNet/EfficientNet/SqueezeNet layers, each on its current path and on the path it replaced (<see cref="Baseline"/>:
/// depthwise tap-interval loop, packed B and column-panel order for pointwise GEMMs, scalar MaxPool), same run.
/// </summary>
[MemoryDiagnoser]
public class MobileLayerBenchmarks
{
    private KernelHarness? _node;

    /// <summary>dw: depthwise 3x3 (channels @ size / stride), pw: pointwise (in -> out @ size), maxpool: 3x3 stride 2 ceil.</summary>
    [Params("dw32@112s1", "dw96@112s2", "dw576@14s1", "dw960@7s1", "pw16-96@112", "pw320-1280@7", "maxpool64@111")]
    public string Layer { get; set; } = "dw32@112s1";

    [Params(false, true)]
    public bool Baseline { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Backends.Cpu.Kernels.Nn.DepthwiseConv.AllowFastPath = !Baseline;
        Backends.Cpu.Kernels.Nn.ConvFloat.ReadColumnsInPlace = !Baseline;
        Backends.Cpu.Simd.GemmDriver.RowsOuterForDirectB = !Baseline;
        Backends.Cpu.Kernels.Nn.MaxPoolVector.Enabled = !Baseline;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string kind = Layer[..2];
        string[] at = Layer.TrimStart("abcdefghijklmnopqrstuvwxyz".ToCharArray()).Split('@');
        if (kind == "dw")
        {
            int c = int.Parse(at[0], inv);
            string[] sizeStride = at[1].Split('s');
            int hw = int.Parse(sizeStride[0], inv), stride = int.Parse(sizeStride[1], inv);
            var node = new Node("Conv", ["x", "w", "b"], ["y"], "dw");
            node.Attributes.Set(NodeAttribute.Of("group", (long)c));
            node.Attributes.Set(NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }));
            node.Attributes.Set(NodeAttribute.Of("strides", new long[] { stride, stride }));
            _node = new KernelHarness(node, 17, [KernelHarness.Random(1, 1, c, hw, hw), KernelHarness.Random(2, c, 1, 3, 3), KernelHarness.Random(3, c)], [false, true, true]);
        }
        else if (kind == "pw")
        {
            string[] io = at[0].Split('-');
            int cin = int.Parse(io[0], inv), cout = int.Parse(io[1], inv), hw = int.Parse(at[1], inv);
            var node = new Node("Conv", ["x", "w", "b"], ["y"], "pw");
            _node = new KernelHarness(node, 17, [KernelHarness.Random(1, 1, cin, hw, hw), KernelHarness.Random(2, cout, cin, 1, 1), KernelHarness.Random(3, cout)], [false, true, true]);
        }
        else
        {
            int c = int.Parse(at[0], inv), hw = int.Parse(at[1], inv);
            var node = new Node("MaxPool", ["x"], ["y"], "pool");
            node.Attributes.Set(NodeAttribute.Of("kernel_shape", new long[] { 3, 3 }));
            node.Attributes.Set(NodeAttribute.Of("strides", new long[] { 2, 2 }));
            node.Attributes.Set(NodeAttribute.Of("ceil_mode", 1L));
            _node = new KernelHarness(node, 17, [KernelHarness.Random(1, 1, c, hw, hw)], [false]);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Backends.Cpu.Kernels.Nn.DepthwiseConv.AllowFastPath = true;
        Backends.Cpu.Kernels.Nn.ConvFloat.ReadColumnsInPlace = true;
        Backends.Cpu.Simd.GemmDriver.RowsOuterForDirectB = true;
        Backends.Cpu.Kernels.Nn.MaxPoolVector.Enabled = true;
    }

    [Benchmark]
    public void Run() => _node!.Run();
}
