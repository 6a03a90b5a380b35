using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>
/// DynamicQuantizeLinear: scale = (max(0, max x) - min(0, min x)) / 255, zero_point = saturate(round(-min / scale)),
/// y = saturate(round(x / scale) + zero_point) as uint8 (https://onnx.ai/onnx/operators/onnx__DynamicQuantizeLinear.html).
/// </summary>
internal sealed class DynamicQuantizeLinear : IKernel
{
    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        if (x.DataType != DataType.Float32)
        {
            throw context.Error($"x must be float32, got {x.DataType.Name()}");
        }

        var xs = x.AsSpan<float>();
        float min = 0;
        float max = 0;
        foreach (float v in xs)
        {
            if (float.IsNaN(v))
            {
                throw context.Error("x contains NaN; the quantization range is undefined");
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        float scale = (max - min) / 255f;
        int zeroPoint = scale == 0 ? 0 : QuantMath.Quantize(-min / scale, 0, 0, 255);
        var y = context.Output<byte>(0, x.Dims).Span;
        for (int i = 0; i < xs.Length; i++)
        {
            y[i] = scale == 0 ? (byte)zeroPoint : (byte)QuantMath.Quantize(xs[i] / scale, zeroPoint, 0, 255);
        }

        context.Output<float>(1, [])[0] = scale;
        context.Output<byte>(2, [])[0] = (byte)zeroPoint;
    }
}
