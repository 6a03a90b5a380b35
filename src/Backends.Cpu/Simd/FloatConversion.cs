using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>float16/bfloat16 kernels compute in float32: widen on the way in, round on the way out.</summary>
internal static class FloatConversion
{
    public static float[] ToFloat(Tensor t)
    {
        var result = new float[t.Length];
        switch (t.DataType)
        {
            case DataType.Float32:
                t.AsSpan<float>().CopyTo(result);
                break;
            case DataType.Float16:
                System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(t.AsSpan<Half>(), result);
                break;
            case DataType.BFloat16:
                var src = t.AsSpan<BFloat16>();
                for (int i = 0; i < src.Length; i++)
                {
                    result[i] = (float)src[i];
                }

                break;
            default:
                var d = t.ToDoubleArray();
                for (int i = 0; i < d.Length; i++)
                {
                    result[i] = (float)d[i];
                }

                break;
        }

        return result;
    }

    public static void FromFloat(ReadOnlySpan<float> values, Tensor destination)
    {
        switch (destination.DataType)
        {
            case DataType.Float32:
                values.CopyTo(destination.AsSpan<float>());
                break;
            case DataType.Float16:
                System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(values, destination.AsSpan<Half>());
                break;
            case DataType.BFloat16:
                var dst = destination.AsSpan<BFloat16>();
                for (int i = 0; i < values.Length; i++)
                {
                    dst[i] = (BFloat16)values[i];
                }

                break;
            case DataType.Float64:
                var dd = destination.AsSpan<double>();
                for (int i = 0; i < values.Length; i++)
                {
                    dd[i] = values[i];
                }

                break;
            default:
                throw new DataTypeMismatchException($"cannot write float results into a {destination.DataType.Name()} tensor");
        }
    }
}
