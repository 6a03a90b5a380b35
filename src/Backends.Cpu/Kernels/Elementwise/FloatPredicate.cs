using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>A per-element test of a floating-point value.</summary>
internal interface IFloatPredicate
{
    bool Invoke<T>(T x)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>Shared driver for y = predicate(x) -> bool over float32/float64/float16/bfloat16 (IsNaN, IsInf).</summary>
internal static class FloatPredicate
{
    public static void Compute<TOp>(KernelContext ctx, TOp op)
        where TOp : struct, IFloatPredicate
    {
        var x = ctx.Input(0);
        var y = ctx.Output(0, DataType.Bool, x.Dims).AsSpan<bool>();
        switch (x.DataType)
        {
            case DataType.Float32: Run<float, TOp>(op, x.AsSpan<float>(), y); break;
            case DataType.Float64: Run<double, TOp>(op, x.AsSpan<double>(), y); break;
            case DataType.Float16: Run<Half, TOp>(op, x.AsSpan<Half>(), y); break;
            case DataType.BFloat16: Run<float, TOp>(op, FloatConversion.ToFloat(x), y); break;
            default: throw ctx.Error($"expected a floating-point input, got {x.DataType.Name()}");
        }
    }

    private static void Run<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<bool> y)
        where T : IFloatingPointIeee754<T>
        where TOp : struct, IFloatPredicate
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = op.Invoke(x[i]);
        }
    }
}
