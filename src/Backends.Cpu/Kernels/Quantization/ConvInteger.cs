using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>
/// ConvInteger: y = conv(x - x_zero_point, w - w_zero_point) in int32; x_zero_point per tensor, w_zero_point per tensor
/// or per output channel (https://onnx.ai/onnx/operators/onnx__ConvInteger.html).
/// </summary>
internal sealed class ConvInteger : IKernel
{
    private readonly long _group;

    public ConvInteger(KernelCreationContext context)
    {
        _group = context.Attributes.GetInt("group", 1);
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var w = context.Input(1);
        var plan = IntegerConv.Plan(context, x, w, _group);
        int[] xv = Centered(context, x, context.OptionalInput(2), 1, "x_zero_point");
        int[] wv = Centered(context, w, context.OptionalInput(3), plan.OutputChannels, "w_zero_point");
        plan.Run(xv, wv).CopyTo(context.Output<int>(0, plan.YDims).Span);
    }

    /// <summary>Values minus a zero point that is per tensor or, when <paramref name="channels"/> > 1, per leading-axis channel.</summary>
    internal static int[] Centered(KernelContext context, Tensor t, Tensor? zeroPoint, int channels, string what)
    {
        int[] values = QuantMath.ToInt32(context, t, what[..1]);
        if (zeroPoint is null)
        {
            return values;
        }

        int[] zp = QuantMath.ZeroPoint(context, zeroPoint, t.DataType, what);
        if (zp.Length != 1 && zp.Length != channels)
        {
            throw context.Error($"{what} has {zp.Length} elements; expected 1{(channels > 1 ? $" or {channels} (one per output channel)" : string.Empty)}");
        }

        int perChannel = values.Length / Math.Max(t.Dims[0], 1);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] -= zp.Length == 1 ? zp[0] : zp[i / perChannel];
        }

        return values;
    }
}
