using System.Runtime.Intrinsics;
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
        if (x.DataType == DataType.Float32 && y.DataType == DataType.Float32 && y.Length == 1 && TryScalarExponent(context, x, y.AsSpan<float>()[0]))
        {
            return;
        }

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

    /// <summary>
    /// X ^ c for a float32 scalar c in {2, 3, 0.5} (GELU's x^3, RMS/LayerNorm's x^2 and sqrt) through the vectorized
    /// unary driver; each form gives exactly the float64 Math.Pow result rounded to float32: x*x and sqrt are
    /// correctly rounded, x^3 is computed in double (x*x is exact there, so one rounding), and sqrt's -0 and -inf
    /// are mapped to +0 and +inf as pow requires. The output keeps X's shape, as broadcasting with a scalar does.
    /// </summary>
    private static bool TryScalarExponent(KernelContext context, Tensor x, float exponent)
    {
        var y = context.Input(1);
        if (y.Rank > x.Rank || context.Opset < 7)
        {
            return false;
        }

        var xs = x.AsSpan<float>();
        switch (exponent)
        {
            case 2f:
                UnaryDriver.RunParallel(default(Square), xs, context.Output(0, x.DataType, x.Dims).AsSpan<float>(), context.IntraOpThreads);
                return true;
            case 3f:
                UnaryDriver.RunParallel(default(Cube), xs, context.Output(0, x.DataType, x.Dims).AsSpan<float>(), context.IntraOpThreads);
                return true;
            case 0.5f:
                UnaryDriver.RunParallel(default(SquareRoot), xs, context.Output(0, x.DataType, x.Dims).AsSpan<float>(), context.IntraOpThreads);
                return true;
            default:
                return false;
        }
    }

    /// <summary>x ^ 2.</summary>
    internal readonly struct Square : IVectorUnaryFunction
    {
        public float Invoke(float x) => x * x;

        public Vector256<float> Invoke(Vector256<float> x) => x * x;

        public Vector128<float> Invoke(Vector128<float> x) => x * x;
    }

    /// <summary>x ^ 3, in double.</summary>
    internal readonly struct Cube : IVectorUnaryFunction
    {
        public float Invoke(float x)
        {
            double d = x;
            return (float)(d * d * d);
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var (lo, hi) = Vector256.Widen(x);
            return Vector256.Narrow(lo * lo * lo, hi * hi * hi);
        }

        public Vector128<float> Invoke(Vector128<float> x)
        {
            var (lo, hi) = Vector128.Widen(x);
            return Vector128.Narrow(lo * lo * lo, hi * hi * hi);
        }
    }

    /// <summary>x ^ 0.5: sqrt(x) + 0 (turns -0 into +0), and +inf for -inf.</summary>
    internal readonly struct SquareRoot : IVectorUnaryFunction
    {
        public float Invoke(float x) => float.IsNegativeInfinity(x) ? float.PositiveInfinity : MathF.Sqrt(x) + 0f;

        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.NegativeInfinity)), Vector256.Create(float.PositiveInfinity), Vector256.Sqrt(x) + Vector256<float>.Zero);

        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)), Vector128.Create(float.PositiveInfinity), Vector128.Sqrt(x) + Vector128<float>.Zero);
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
