using System.Numerics;
using System.Runtime.InteropServices;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>A comparison defined once for every numeric type.</summary>
internal interface IComparisonOperator
{
    static abstract bool Invoke<T>(T a, T b)
        where T : INumber<T>;
}

/// <summary>
/// Shared driver for broadcasting comparisons C = op(A, B) -> bool (Equal, Less, Greater, LessOrEqual,
/// GreaterOrEqual) over every numeric dtype and bool (as 0/1); legacy broadcast attributes before opset 7.
/// </summary>
internal static class Comparison
{
    public static void Compute<TOp>(KernelContext ctx)
        where TOp : struct, IComparisonOperator
    {
        var (a, b, bDims, c, dims) = Prepare(ctx);
        var cs = c.AsSpan<bool>();
        switch (a.DataType)
        {
            case DataType.Float32: Run<float, TOp>(a.AsSpan<float>(), a.Dims, b.AsSpan<float>(), bDims, cs, dims); break;
            case DataType.Float64: Run<double, TOp>(a.AsSpan<double>(), a.Dims, b.AsSpan<double>(), bDims, cs, dims); break;
            case DataType.Float16: Run<Half, TOp>(a.AsSpan<Half>(), a.Dims, b.AsSpan<Half>(), bDims, cs, dims); break;
            case DataType.BFloat16: Run<float, TOp>(FloatConversion.ToFloat(a), a.Dims, FloatConversion.ToFloat(b), bDims, cs, dims); break;
            case DataType.Int8: Run<sbyte, TOp>(a.AsSpan<sbyte>(), a.Dims, b.AsSpan<sbyte>(), bDims, cs, dims); break;
            case DataType.Int16: Run<short, TOp>(a.AsSpan<short>(), a.Dims, b.AsSpan<short>(), bDims, cs, dims); break;
            case DataType.Int32: Run<int, TOp>(a.AsSpan<int>(), a.Dims, b.AsSpan<int>(), bDims, cs, dims); break;
            case DataType.Int64: Run<long, TOp>(a.AsSpan<long>(), a.Dims, b.AsSpan<long>(), bDims, cs, dims); break;
            case DataType.UInt8: Run<byte, TOp>(a.AsSpan<byte>(), a.Dims, b.AsSpan<byte>(), bDims, cs, dims); break;
            case DataType.UInt16: Run<ushort, TOp>(a.AsSpan<ushort>(), a.Dims, b.AsSpan<ushort>(), bDims, cs, dims); break;
            case DataType.UInt32: Run<uint, TOp>(a.AsSpan<uint>(), a.Dims, b.AsSpan<uint>(), bDims, cs, dims); break;
            case DataType.UInt64: Run<ulong, TOp>(a.AsSpan<ulong>(), a.Dims, b.AsSpan<ulong>(), bDims, cs, dims); break;
            case DataType.Bool:
                Run<byte, TOp>(MemoryMarshal.Cast<bool, byte>(a.AsSpan<bool>()), a.Dims, MemoryMarshal.Cast<bool, byte>(b.AsSpan<bool>()), bDims, cs, dims);
                break;
            default:
                throw ctx.Error($"cannot compare {a.DataType.Name()} values");
        }
    }

    /// <summary>Checks dtypes, resolves broadcasting and allocates the bool output (also used for string Equal).</summary>
    internal static (Tensor A, Tensor B, int[] BDims, Tensor C, int[] Dims) Prepare(KernelContext ctx)
    {
        var a = ctx.Input(0);
        var b = ctx.Input(1);
        if (a.DataType != b.DataType)
        {
            throw ctx.Error($"inputs must have the same dtype, got {a.DataType.Name()} and {b.DataType.Name()}");
        }

        var bDims = b.DimsArray();
        var dims = BinaryBroadcast.Resolve(ctx, a.Dims, ref bDims);
        return (a, b, bDims, ctx.Output(0, DataType.Bool, dims), dims);
    }

    private static void Run<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<int> aDims, ReadOnlySpan<T> b, ReadOnlySpan<int> bDims, Span<bool> c, ReadOnlySpan<int> dims)
        where T : INumber<T>
        where TOp : struct, IComparisonOperator =>
        BroadcastDriver.Run<T, bool, Adapter<T, TOp>>(a, aDims, b, bDims, c, dims);

    private readonly struct Adapter<T, TOp> : IBinaryOperator<T, bool>
        where T : INumber<T>
        where TOp : struct, IComparisonOperator
    {
        public static bool Invoke(T a, T b) => TOp.Invoke(a, b);
    }
}
