using System.Numerics;
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
        float[] scale = QuantMath.ToFloat(context, scaleTensor, "x_scale");
        int[] zp = QuantMath.ZeroPoint(context, zpTensor, x.DataType, "x_zero_point");
        var (channels, inner) = QuantMath.PerAxis(context, x, _axis, scaleTensor, zpTensor);
        bool reduced = scaleTensor.DataType is DataType.Float16 or DataType.BFloat16;
        var y = reduced ? new float[x.Length] : context.Output<float>(0, x.Dims).Memory;
        switch (x.DataType)
        {
            case DataType.UInt8: Dequantize<byte>(x.AsSpan<byte>(), scale, zp, channels, inner, y.Span); break;
            case DataType.Int8: Dequantize<sbyte>(x.AsSpan<sbyte>(), scale, zp, channels, inner, y.Span); break;
            case DataType.UInt16: Dequantize<ushort>(x.AsSpan<ushort>(), scale, zp, channels, inner, y.Span); break;
            case DataType.Int16: Dequantize<short>(x.AsSpan<short>(), scale, zp, channels, inner, y.Span); break;
            case DataType.Int32: Dequantize<int>(x.AsSpan<int>(), scale, zp, channels, inner, y.Span); break;
            default: throw context.Error($"x must be an 8-, 16- or 32-bit integer tensor, got {x.DataType.Name()}");
        }

        if (reduced)
        {
            DoubleStore.Store(context.Output(0, scaleTensor.DataType, x.Dims), Array.ConvertAll(y.ToArray(), v => (double)v));
        }
    }

    // Blocks of `inner` elements share one channel's parameters; channels cycle with period channels * inner.
    private static void Dequantize<T>(ReadOnlySpan<T> x, float[] scale, int[] zp, int channels, int inner, Span<float> y)
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
                y[i] = (int.CreateTruncating(x[i]) - z) * s;
            }

            if (channels == 1)
            {
                break;
            }
        }
    }
}
