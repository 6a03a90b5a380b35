using System.Numerics;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>
/// QuantizeLinear: y = saturate(round_half_to_even(x / y_scale) + y_zero_point), per tensor or per axis; y has the zero
/// point's type (else output_dtype, else uint8) (https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html).
/// </summary>
internal sealed class QuantizeLinear : IKernel
{
    private readonly long _axis;
    private readonly DataType _outputType;

    public QuantizeLinear(KernelCreationContext context)
    {
        _axis = context.Attributes.GetInt("axis", 1);
        _outputType = (DataType)context.Attributes.GetInt("output_dtype", 0);
        if (context.Attributes.GetInt("block_size", 0) != 0)
        {
            throw context.Error("blocked quantization (block_size) is not supported");
        }
    }

    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var scaleTensor = context.Input(1);
        var zpTensor = context.OptionalInput(2);
        var type = zpTensor?.DataType ?? (_outputType != DataType.Undefined ? _outputType : DataType.UInt8);
        var (min, max) = QuantMath.Range(context, type);
        float[] xs = x.DataType == DataType.Float32 ? [] : QuantMath.ToFloat(context, x, "x");
        ReadOnlySpan<float> values = x.DataType == DataType.Float32 ? x.AsSpan<float>() : xs;
        float[] scale = QuantMath.ToFloat(context, scaleTensor, "y_scale");
        int[] zp = QuantMath.ZeroPoint(context, zpTensor, type, "y_zero_point");
        var (channels, inner) = QuantMath.PerAxis(context, x, _axis, scaleTensor, zpTensor);
        var y = context.Output(0, type, x.Dims);
        switch (type)
        {
            case DataType.UInt8: Quantize(values, scale, zp, channels, inner, min, max, y.AsSpan<byte>()); break;
            case DataType.Int8: Quantize(values, scale, zp, channels, inner, min, max, y.AsSpan<sbyte>()); break;
            case DataType.UInt16: Quantize(values, scale, zp, channels, inner, min, max, y.AsSpan<ushort>()); break;
            case DataType.Int16: Quantize(values, scale, zp, channels, inner, min, max, y.AsSpan<short>()); break;
            default: Quantize(values, scale, zp, channels, inner, min, max, y.AsSpan<int>()); break;
        }
    }

    // The division is done in float32, as the reference (numpy float32) and ONNX Runtime do, before rounding.
    private static void Quantize<T>(ReadOnlySpan<float> x, float[] scale, int[] zp, int channels, int inner, int min, int max, Span<T> y)
        where T : IBinaryInteger<T>
    {
        for (int start = 0; start < x.Length; start += inner)
        {
            int c = channels == 1 ? 0 : (start / inner) % channels;
            float s = scale[scale.Length == 1 ? 0 : c];
            int z = zp[zp.Length == 1 ? 0 : c];
            int end = channels == 1 ? x.Length : start + inner;
            for (int i = start; i < end; i++)
            {
                y[i] = T.CreateTruncating(QuantMath.Quantize(x[i] / s, z, min, max));
            }

            if (channels == 1)
            {
                break;
            }
        }
    }
}
