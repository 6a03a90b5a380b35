using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>
/// QuantizeLinear: y = saturate(round_half_to_even(x / y_scale) + y_zero_point), per tensor or per axis; y has the zero
/// point's type (uint8 when omitted) (https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html).
/// </summary>
internal sealed class QuantizeLinear : IKernel
{
    private readonly long _axis;

    public QuantizeLinear(KernelCreationContext context)
    {
        _axis = context.Attributes.GetInt("axis", 1);
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var scaleTensor = context.Input(1);
        var zpTensor = context.OptionalInput(2);
        var type = zpTensor?.DataType ?? DataType.UInt8;
        var (min, max) = QuantMath.Range(context, type);
        float[] xs = QuantMath.ToFloat(context, x, "x");
        float[] scale = QuantMath.ToFloat(context, scaleTensor, "y_scale");
        int[] zp = QuantMath.ZeroPoint(context, zpTensor, type, "y_zero_point");
        var (channels, inner) = QuantMath.PerAxis(context, x, _axis, scaleTensor, zpTensor);
        var q = new int[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            float s = scale[scale.Length == 1 ? 0 : c];
            q[i] = QuantMath.Quantize(xs[i] / s, zp[zp.Length == 1 ? 0 : c], min, max);
        }

        QuantMath.Store(context.Output(0, type, x.Dims), q);
    }
}
