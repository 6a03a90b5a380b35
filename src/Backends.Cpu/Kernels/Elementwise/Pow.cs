using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Pow: Z = X ^ Y with broadcasting; Z has X's dtype and, from opset 12, Y may have another numeric dtype
/// (https://onnx.ai/onnx/operators/onnx__Pow.html). Integer ^ integer is exact (wrapping) in int64;
/// other mixes compute in float64 and convert like Cast (an integer result truncates toward zero).
/// </summary>
internal sealed class Pow : IKernel
{
    public void Compute(KernelContext context)
    {
        var x = context.Input(0);
        var y = context.Input(1);
        if (x.DataType == y.DataType && x.DataType is DataType.Float32 or DataType.Float64)
        {
            ElementwiseBinary.ComputeScalar<FloatOp>(context);
            return;
        }

        if (!x.DataType.IsNumeric() || !y.DataType.IsNumeric())
        {
            throw context.Error($"Pow needs numeric inputs, got {x.DataType.Name()} ^ {y.DataType.Name()}");
        }

        var yDims = y.DimsArray();
        var dims = BinaryBroadcast.Resolve(context, x.Dims, ref yDims);
        var z = context.Output(0, x.DataType, dims);
        if (x.DataType.IsInteger() && y.DataType.IsInteger())
        {
            var result = new Tensor<long>(dims);
            BroadcastDriver.Run<long, long, IntegerOp>(x.ToInt64Array(), x.Dims, y.ToInt64Array(), yDims, result.Span, dims);
            TensorConversion.Convert(result, z);
        }
        else
        {
            var result = new Tensor<double>(dims);
            BroadcastDriver.Run<double, double, NumericBinary<double, FloatOp>>(x.ToDoubleArray(), x.Dims, y.ToDoubleArray(), yDims, result.Span, dims);
            TensorConversion.Convert(result, z);
        }
    }

    /// <summary>Computed in float64 and rounded to T (float32 results are then correctly rounded more often than MathF.Pow's).</summary>
    internal readonly struct FloatOp : IGenericBinaryOperator
    {
        public static T Invoke<T>(T a, T b)
            where T : System.Numerics.INumber<T> =>
            T.CreateTruncating(Math.Pow(double.CreateTruncating(a), double.CreateTruncating(b)));
    }

    /// <summary>Exponentiation by squaring with wrap-around; a negative exponent gives trunc(1 / a^|b|).</summary>
    internal readonly struct IntegerOp : IBinaryOperator<long, long>
    {
        public static long Invoke(long a, long b)
        {
            if (b < 0)
            {
                return a == 1 ? 1 : a == -1 ? ((b & 1) == 0 ? 1 : -1) : 0;
            }

            long result = 1;
            unchecked
            {
                while (b > 0)
                {
                    if ((b & 1) != 0)
                    {
                        result *= a;
                    }

                    a *= a;
                    b >>= 1;
                }
            }

            return result;
        }
    }
}
