using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>
/// QLinearConv: y = saturate(round_half_to_even((conv(x - x_zp, w - w_zp) + B) * x_scale * w_scale[m] / y_scale) + y_zp),
/// int32 accumulation; w parameters per tensor or per output channel (https://onnx.ai/onnx/operators/onnx__QLinearConv.html).
/// </summary>
internal sealed class QLinearConv : IKernel
{
    private readonly long _group;

    public QLinearConv(KernelCreationContext context)
    {
        _group = context.Attributes.GetInt("group", 1);
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var xScale = context.Input(1);
        var xZp = context.Input(2);
        var w = context.Input(3);
        var wScale = context.Input(4);
        var wZp = context.Input(5);
        var yScale = context.Input(6);
        var yZp = context.Input(7);
        var bias = context.OptionalInput(8);
        var plan = IntegerConv.Plan(context, x, w, _group);
        int m = plan.OutputChannels;
        if (xScale.Length != 1 || xZp.Length != 1 || yScale.Length != 1 || yZp.Length != 1)
        {
            throw context.Error("x_scale, x_zero_point, y_scale and y_zero_point must be scalars (per-tensor quantization)");
        }

        float[] sw = QuantMath.ToFloat(context, wScale, "w_scale");
        if (sw.Length != 1 && sw.Length != m)
        {
            throw context.Error($"w_scale has {sw.Length} elements; expected 1 or {m} (one per output channel)");
        }

        int[] b = bias is null ? [] : QuantMath.ToInt32(context, bias, "B");
        if (bias is not null && (bias.DataType != DataType.Int32 || b.Length != m))
        {
            throw context.Error($"B must be int32 with {m} elements, got {bias.DataType.Name()}{bias.ShapeString}");
        }

        int[] acc = plan.Run(
            ConvInteger.Centered(context, x, xZp, 1, "x_zero_point"),
            ConvInteger.Centered(context, w, wZp, m, "w_zero_point"));

        float sx = QuantMath.ToFloat(context, xScale, "x_scale")[0];
        float sy = QuantMath.ToFloat(context, yScale, "y_scale")[0];
        int zy = QuantMath.ToInt32(context, yZp, "y_zero_point")[0];
        var (min, max) = QuantMath.Range(context, yZp.DataType);
        int spatial = plan.OutputSpatialSize;
        var q = new int[acc.Length];
        for (int i = 0; i < acc.Length; i++)
        {
            int oc = (i / spatial) % m;
            float multiplier = sx * sw[sw.Length == 1 ? 0 : oc] / sy;
            int value = b.Length == 0 ? acc[i] : unchecked(acc[i] + b[oc]);
            q[i] = QuantMath.Quantize(value * multiplier, zy, min, max);
        }

        QuantMath.Store(context.Output(0, yZp.DataType, plan.YDims), q);
    }
}
