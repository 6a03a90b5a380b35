using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Shared driver for broadcasting arithmetic kernels C = op(A, B) with A, B, C of one numeric dtype (Add, Sub,
/// Mul, Div, Mod, ...): dtype dispatch + broadcast (legacy broadcast attributes before opset 7).
/// </summary>
internal static class ElementwiseBinary
{
    /// <summary>float32 (and float16/bfloat16 through it) vectorized; other dtypes through generic math.</summary>
    public static void Compute<TOp>(KernelContext ctx)
        where TOp : struct, INumericBinaryOperator => Compute<TOp>(ctx, ctx.Input(0), ctx.Input(1));

    /// <summary>As <see cref="Compute{TOp}(KernelContext)"/> on given operands (e.g. a reshaped view of an input).</summary>
    public static void Compute<TOp>(KernelContext ctx, Tensor a, Tensor b)
        where TOp : struct, INumericBinaryOperator
    {
        CheckSameType(ctx, a, b);
        scoped ReadOnlySpan<int> bDims = b.Dims;
        var dims = BinaryBroadcast.Resolve(ctx, a.Dims, ref bDims, stackalloc int[Math.Max(a.Rank, b.Rank)]);
        var c = ctx.OutputUninitialized(0, a.DataType, dims); // the broadcast driver writes every element
        switch (a.DataType)
        {
            case DataType.Float32:
                BroadcastDriver.RunFloat<TOp>(a.AsSpan<float>(), a.Dims, b.AsSpan<float>(), bDims, c.AsSpan<float>(), dims, ctx.IntraOpThreads);
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var af = FloatConversion.ToFloat(a);
                var bf = FloatConversion.ToFloat(b);
                var cf = new float[c.Length];
                BroadcastDriver.RunFloat<TOp>(af, a.Dims, bf, bDims, cf, dims, ctx.IntraOpThreads);
                FloatConversion.FromFloat(cf, c);
                break;
            default:
                Generic<TOp>(ctx, a, b, bDims, c, dims);
                break;
        }
    }

    /// <summary>Every dtype through the op's generic-math form (float16/bfloat16 computed in float32).</summary>
    public static void ComputeScalar<TOp>(KernelContext ctx)
        where TOp : struct, IGenericBinaryOperator
    {
        var a = ctx.Input(0);
        var b = ctx.Input(1);
        CheckSameType(ctx, a, b);
        scoped ReadOnlySpan<int> bDims = b.Dims;
        var dims = BinaryBroadcast.Resolve(ctx, a.Dims, ref bDims, stackalloc int[Math.Max(a.Rank, b.Rank)]);
        var c = ctx.OutputUninitialized(0, a.DataType, dims);
        if (a.DataType is DataType.Float16 or DataType.BFloat16)
        {
            var af = FloatConversion.ToFloat(a);
            var bf = FloatConversion.ToFloat(b);
            var cf = new float[c.Length];
            BroadcastDriver.Run<float, float, NumericBinary<float, TOp>>(af, a.Dims, bf, bDims, cf, dims);
            FloatConversion.FromFloat(cf, c);
            return;
        }

        Generic<TOp>(ctx, a, b, bDims, c, dims);
    }

    private static void CheckSameType(KernelContext ctx, Tensor a, Tensor b)
    {
        if (a.DataType != b.DataType)
        {
            throw ctx.Error($"inputs must have the same dtype, got {a.DataType.Name()} and {b.DataType.Name()}");
        }
    }

    private static void Generic<TOp>(KernelContext ctx, Tensor a, Tensor b, ReadOnlySpan<int> bDims, Tensor c, ReadOnlySpan<int> dims)
        where TOp : struct, IGenericBinaryOperator
    {
        try
        {
            switch (a.DataType)
            {
                case DataType.Float32: Run<float, TOp>(a, b, bDims, c, dims); break;
                case DataType.Float64: Run<double, TOp>(a, b, bDims, c, dims); break;
                case DataType.Int32: Run<int, TOp>(a, b, bDims, c, dims); break;
                case DataType.Int64: Run<long, TOp>(a, b, bDims, c, dims); break;
                case DataType.Int8: Run<sbyte, TOp>(a, b, bDims, c, dims); break;
                case DataType.Int16: Run<short, TOp>(a, b, bDims, c, dims); break;
                case DataType.UInt8: Run<byte, TOp>(a, b, bDims, c, dims); break;
                case DataType.UInt16: Run<ushort, TOp>(a, b, bDims, c, dims); break;
                case DataType.UInt32: Run<uint, TOp>(a, b, bDims, c, dims); break;
                case DataType.UInt64: Run<ulong, TOp>(a, b, bDims, c, dims); break;
                default: throw ctx.Error($"unsupported element type {a.DataType.Name()}");
            }
        }
        catch (DivideByZeroException)
        {
            throw ctx.Error($"integer division or modulo by zero ({a.DataType.Name()} divisor B contains 0)");
        }
        catch (OverflowException)
        {
            throw ctx.Error($"integer overflow ({a.DataType.Name()} minimum value divided by -1)");
        }
    }

    private static void Run<T, TOp>(Tensor a, Tensor b, ReadOnlySpan<int> bDims, Tensor c, ReadOnlySpan<int> dims)
        where T : unmanaged, INumber<T>
        where TOp : struct, IGenericBinaryOperator =>
        BroadcastDriver.Run<T, T, NumericBinary<T, TOp>>(a.AsSpan<T>(), a.Dims, b.AsSpan<T>(), bDims, c.AsSpan<T>(), dims);
}
