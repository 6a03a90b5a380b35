using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Shared driver for broadcasting arithmetic kernels (Add, Sub, Mul, Div, ...): dtype dispatch + broadcast.</summary>
internal static class ElementwiseBinary
{
    public static void Compute<TOp>(KernelContext ctx)
        where TOp : struct, INumericBinaryOperator
    {
        var a = ctx.Input(0);
        var b = ctx.Input(1);
        if (a.DataType != b.DataType)
        {
            throw ctx.Error($"inputs must have the same dtype, got {a.DataType.Name()} and {b.DataType.Name()}");
        }

        int[] dims;
        try
        {
            dims = BroadcastDriver.OutputDims(a.Dims, b.Dims);
        }
        catch (ShapeInferenceException ex)
        {
            throw ctx.Error(ex.Message);
        }

        var c = ctx.Output(0, a.DataType, dims);
        switch (a.DataType)
        {
            case DataType.Float32:
                BroadcastDriver.RunFloat<TOp>(a.AsSpan<float>(), a.Dims, b.AsSpan<float>(), b.Dims, c.AsSpan<float>(), dims);
                break;
            case DataType.Float64: Generic<double, TOp>(a, b, c, dims); break;
            case DataType.Int32: Generic<int, TOp>(a, b, c, dims); break;
            case DataType.Int64: Generic<long, TOp>(a, b, c, dims); break;
            case DataType.Int8: Generic<sbyte, TOp>(a, b, c, dims); break;
            case DataType.Int16: Generic<short, TOp>(a, b, c, dims); break;
            case DataType.UInt8: Generic<byte, TOp>(a, b, c, dims); break;
            case DataType.UInt16: Generic<ushort, TOp>(a, b, c, dims); break;
            case DataType.UInt32: Generic<uint, TOp>(a, b, c, dims); break;
            case DataType.UInt64: Generic<ulong, TOp>(a, b, c, dims); break;
            case DataType.Float16:
            case DataType.BFloat16:
                var af = FloatConversion.ToFloat(a);
                var bf = FloatConversion.ToFloat(b);
                var cf = new float[c.Length];
                BroadcastDriver.RunFloat<TOp>(af, a.Dims, bf, b.Dims, cf, dims);
                FloatConversion.FromFloat(cf, c);
                break;
            default:
                throw ctx.Error($"unsupported element type {a.DataType.Name()}");
        }
    }

    private static void Generic<T, TOp>(Tensor a, Tensor b, Tensor c, int[] dims)
        where T : unmanaged, System.Numerics.INumber<T>
        where TOp : struct, INumericBinaryOperator =>
        BroadcastDriver.Run<T, T, NumericBinary<T, TOp>>(a.AsSpan<T>(), a.Dims, b.AsSpan<T>(), b.Dims, c.AsSpan<T>(), dims);
}
