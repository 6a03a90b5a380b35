using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>Runs an <see cref="IReduceOperator"/> over a Reduce* node: axes, output shape, dtype dispatch, loop choice.</summary>
internal static class ReduceDriver
{
    public static void Compute<TOp>(KernelContext ctx, ReduceAttributes attributes, bool allowInt8 = false)
        where TOp : struct, IReduceOperator
    {
        var x = ctx.Input(0);
        var reduced = attributes.ResolveAxes(ctx, x.Rank);
        var y = ctx.Output(0, x.DataType, attributes.OutputDims(x.Dims, reduced));
        var plan = ReducePlan.Create(x.Dims, reduced);
        switch (x.DataType)
        {
            case DataType.Float32: RunFloat<TOp>(x.AsSpan<float>(), y.AsSpan<float>(), plan); break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                RunFloat<TOp>(FloatConversion.ToFloat(x), yf, plan);
                FloatConversion.FromFloat(yf, y);
                break;
            case DataType.Float64: Run<double, TOp>(x.AsSpan<double>(), y.AsSpan<double>(), plan); break;
            case DataType.Int32: Run<int, TOp>(x.AsSpan<int>(), y.AsSpan<int>(), plan); break;
            case DataType.Int64: Run<long, TOp>(x.AsSpan<long>(), y.AsSpan<long>(), plan); break;
            case DataType.UInt32: Run<uint, TOp>(x.AsSpan<uint>(), y.AsSpan<uint>(), plan); break;
            case DataType.UInt64: Run<ulong, TOp>(x.AsSpan<ulong>(), y.AsSpan<ulong>(), plan); break;
            case DataType.Int8 when allowInt8: Run<sbyte, TOp>(x.AsSpan<sbyte>(), y.AsSpan<sbyte>(), plan); break;
            case DataType.UInt8 when allowInt8: Run<byte, TOp>(x.AsSpan<byte>(), y.AsSpan<byte>(), plan); break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }

    /// <summary>Generic scalar path: block plans accumulate rows in place in y (cache-friendly), gathers loop per output.</summary>
    public static void Run<T, TOp>(ReadOnlySpan<T> x, Span<T> y, ReducePlan plan)
        where T : INumber<T>
        where TOp : struct, IReduceOperator
    {
        if (plan.OutputCount == 0)
        {
            return;
        }

        int count = plan.ReducedCount;
        if (count == 0)
        {
            y.Fill(T.CreateSaturating(TOp.EmptyValue));
            return;
        }

        if (plan.IsBlock)
        {
            int inner = plan.Inner;
            for (int o = 0; o < plan.Outer; o++)
            {
                var acc = y.Slice(o * inner, inner);
                var block = x.Slice(o * count * inner, count * inner);
                for (int i = 0; i < inner; i++)
                {
                    acc[i] = TOp.Map(block[i]);
                }

                for (int r = 1; r < count; r++)
                {
                    var row = block.Slice(r * inner, inner);
                    for (int i = 0; i < inner; i++)
                    {
                        acc[i] = TOp.Combine(acc[i], TOp.Map(row[i]));
                    }
                }
            }
        }
        else
        {
            var kept = plan.KeptOffsets!;
            var offsets = plan.ReducedOffsets!;
            for (int o = 0; o < kept.Length; o++)
            {
                var src = x[kept[o]..];
                T acc = TOp.Map(src[offsets[0]]);
                for (int r = 1; r < offsets.Length; r++)
                {
                    acc = TOp.Combine(acc, TOp.Map(src[offsets[r]]));
                }

                y[o] = acc;
            }
        }

        for (int o = 0; o < y.Length; o++)
        {
            y[o] = TOp.Finish(y[o], count);
        }
    }

    /// <summary>float32: contiguous rows through the operator's vectorized row forms, gathers through the scalar path.</summary>
    public static void RunFloat<TOp>(ReadOnlySpan<float> x, Span<float> y, ReducePlan plan)
        where TOp : struct, IReduceOperator
    {
        if (!plan.IsBlock || plan.OutputCount == 0 || plan.ReducedCount == 0 || !UnaryDriver.AllowVectors)
        {
            Run<float, TOp>(x, y, plan);
            return;
        }

        int count = plan.ReducedCount;
        int inner = plan.Inner;
        if (inner == 1)
        {
            for (int o = 0; o < plan.Outer; o++)
            {
                y[o] = TOp.Finish(TOp.ReduceRow(x.Slice(o * count, count)), count);
            }

            return;
        }

        for (int o = 0; o < plan.Outer; o++)
        {
            var acc = y.Slice(o * inner, inner);
            var block = x.Slice(o * count * inner, count * inner);
            TOp.MapRow(block[..inner], acc);
            for (int r = 1; r < count; r++)
            {
                TOp.CombineRow(acc, block.Slice(r * inner, inner));
            }

            for (int i = 0; i < inner; i++)
            {
                acc[i] = TOp.Finish(acc[i], count);
            }
        }
    }
}
