using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Shared driver for unary kernels y = f(x) of the same shape and dtype: float32 vectorized, float16/bfloat16
/// through float32, float64 through the op's double form, integers through its generic-math form.
/// </summary>
internal static class ElementwiseUnary
{
    /// <summary>A float-only op (float32, float16, bfloat16, float64).</summary>
    public static void ComputeFloat<TOp>(KernelContext ctx, TOp op)
        where TOp : struct, IFloatUnaryFunction
    {
        var x = ctx.Input(0);
        var y = ctx.OutputUninitialized(0, x.DataType, x.Dims); // every path maps each element
        if (TryFloat32(op, x, y, ctx.IntraOpThreads))
        {
            return;
        }

        if (x.DataType != DataType.Float64)
        {
            throw Unsupported(ctx, x.DataType);
        }

        var xs = x.AsSpan<double>();
        var ys = y.AsSpan<double>();
        for (int i = 0; i < xs.Length; i++)
        {
            ys[i] = op.Invoke(xs[i]);
        }
    }

    /// <summary>An op over every numeric type (floats as in <see cref="ComputeFloat"/>, integers through generic math).</summary>
    public static void ComputeNumeric<TOp>(KernelContext ctx, TOp op)
        where TOp : struct, INumericUnaryFunction
    {
        var x = ctx.Input(0);
        var y = ctx.OutputUninitialized(0, x.DataType, x.Dims); // every path maps each element
        if (TryFloat32(op, x, y, ctx.IntraOpThreads))
        {
            return;
        }

        switch (x.DataType)
        {
            case DataType.Float64: Generic<double, TOp>(op, x, y); break;
            case DataType.Int8: Generic<sbyte, TOp>(op, x, y); break;
            case DataType.Int16: Generic<short, TOp>(op, x, y); break;
            case DataType.Int32: Generic<int, TOp>(op, x, y); break;
            case DataType.Int64: Generic<long, TOp>(op, x, y); break;
            case DataType.UInt8: Generic<byte, TOp>(op, x, y); break;
            case DataType.UInt16: Generic<ushort, TOp>(op, x, y); break;
            case DataType.UInt32: Generic<uint, TOp>(op, x, y); break;
            case DataType.UInt64: Generic<ulong, TOp>(op, x, y); break;
            default: throw Unsupported(ctx, x.DataType);
        }
    }

    /// <summary>Runs float32 vectorized and float16/bfloat16 through float32; false for other dtypes.</summary>
    private static bool TryFloat32<TOp>(TOp op, Tensor x, Tensor y, int degree)
        where TOp : struct, IVectorUnaryFunction
    {
        switch (x.DataType)
        {
            case DataType.Float32:
                UnaryDriver.RunParallel(op, x.AsSpan<float>(), y.AsSpan<float>(), degree);
                return true;
            case DataType.Float16:
            case DataType.BFloat16:
                var f = FloatConversion.ToFloat(x);
                UnaryDriver.RunParallel(op, f, f, degree);
                FloatConversion.FromFloat(f, y);
                return true;
            default:
                return false;
        }
    }

    private static void Generic<T, TOp>(TOp op, Tensor x, Tensor y)
        where T : unmanaged, INumber<T>
        where TOp : struct, INumericUnaryFunction
    {
        var xs = x.AsSpan<T>();
        var ys = y.AsSpan<T>();
        for (int i = 0; i < xs.Length; i++)
        {
            ys[i] = op.Invoke(xs[i]);
        }
    }

    private static OpExecutionException Unsupported(KernelContext ctx, DataType type) =>
        ctx.Error($"unsupported element type {type.Name()}");
}
