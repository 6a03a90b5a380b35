using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Image;

/// <summary>
/// Upsample (deprecated in opset 10): y = resize(x, floor(in * scale)) with asymmetric coordinates, nearest (floor) or
/// linear mode; scales is an attribute in opset 7 and an input in opset 9 (https://onnx.ai/onnx/operators/onnx__Upsample.html).
/// </summary>
internal sealed class Upsample : IKernel
{
    private readonly ResizeCore _core;
    private readonly double[]? _scales;

    public Upsample(KernelCreationContext context)
    {
        string mode = context.Attributes.GetString("mode", "nearest");
        _core = new ResizeCore(context, mode is "bilinear" ? "linear" : mode, "asymmetric", "floor");
        _scales = context.Opset < 9 ? context.Attributes.GetFloats("scales")?.Select(f => (double)f).ToArray() ?? throw context.Error("required attribute 'scales' is missing") : null;
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        double[] scales = _scales ?? context.Input(1).ToDoubleArray();
        if (scales.Length != x.Rank || scales.Any(s => !(s >= 1)))
        {
            throw context.Error($"scales [{string.Join(",", scales)}] must have {x.Rank} values >= 1 for input {x.ShapeString}");
        }

        var outDims = new int[x.Rank];
        for (int i = 0; i < x.Rank; i++)
        {
            outDims[i] = (int)Math.Floor(x.Dims[i] * scales[i]);
        }

        _core.Run(context, x, outDims, scales, null);
    }
}
