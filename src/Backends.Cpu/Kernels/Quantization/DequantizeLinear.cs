using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>
/// DequantizeLinear: y = (x - x_zero_point) * x_scale, per tensor or per axis; float32 output (float16 when the scale
/// is float16) (https://onnx.ai/onnx/operators/onnx__DequantizeLinear.html).
/// </summary>
internal sealed class DequantizeLinear : IKernel
{
    private readonly long _axis;

    public DequantizeLinear(KernelCreationContext context)
    {
        _axis = context.Attributes.GetInt("axis", 1);
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var scaleTensor = context.Input(1);
        var zpTensor = context.OptionalInput(2);
        int[] xs = QuantMath.ToInt32(context, x, "x");
        float[] scale = QuantMath.ToFloat(context, scaleTensor, "x_scale");
        int[] zp = QuantMath.ZeroPoint(context, zpTensor, x.DataType, "x_zero_point");
        var (channels, inner) = QuantMath.PerAxis(context, x, _axis, scaleTensor, zpTensor);
        var y = new float[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            y[i] = (xs[i] - zp[zp.Length == 1 ? 0 : c]) * scale[scale.Length == 1 ? 0 : c];
        }

        if (scaleTensor.DataType == DataType.Float16)
        {
            var half = context.Output<Half>(0, x.Dims).Span;
            for (int i = 0; i < y.Length; i++)
            {
                half[i] = (Half)y[i];
            }

            return;
        }

        y.CopyTo(context.Output<float>(0, x.Dims).Span);
    }
}
