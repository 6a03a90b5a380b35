using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>
/// ReduceLogSumExp: y = log(sum of exp(x) over axes), computed stably as m + log(sum exp(x - m)) with m the max;
/// keepdims, noop_with_empty_axes (https://onnx.ai/onnx/operators/onnx__ReduceLogSumExp.html).
/// Integer inputs compute in double and truncate.
/// </summary>
internal sealed class ReduceLogSumExp : IKernel
{
    private readonly ReduceAttributes _attributes;

    public ReduceLogSumExp(KernelCreationContext ctx)
    {
        _attributes = new ReduceAttributes(ctx);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        var reduced = _attributes.ResolveAxes(ctx, x.Rank);
        var y = ctx.Output(0, x.DataType, _attributes.OutputDims(x.Dims, reduced));
        var plan = ReducePlan.Create(x.Dims, reduced);
        switch (x.DataType)
        {
            case DataType.Float32:
                Run<float>(x.AsSpan<float>(), y.AsSpan<float>(), plan);
                break;
            case DataType.Float64:
                Run<double>(x.AsSpan<double>(), y.AsSpan<double>(), plan);
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                Run<float>(FloatConversion.ToFloat(x), yf, plan);
                FloatConversion.FromFloat(yf, y);
                break;
            case DataType.Int32:
            case DataType.Int64:
            case DataType.UInt32:
            case DataType.UInt64:
                var yd = new double[y.Length];
                Run<double>(x.ToDoubleArray(), yd, plan);
                StoreTruncated(yd, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }

    private static void Run<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan plan)
        where T : IFloatingPointIeee754<T>
    {
        // Pass 1: the max of each output's elements, into y.
        ReduceDriver.Run<T, ReduceMax.Op>(x, y, plan);
        if (plan.OutputCount == 0 || plan.ReducedCount == 0)
        {
            return;
        }

        // Pass 2: sum of exp(x - max), then y = max + log(sum); an infinite max is the answer itself.
        var sum = new T[y.Length];
        int count = plan.ReducedCount;
        if (plan.IsBlock)
        {
            int inner = plan.Inner;
            for (int o = 0; o < plan.Outer; o++)
            {
                var max = y.Slice(o * inner, inner);
                var acc = sum.AsSpan(o * inner, inner);
                for (int r = 0; r < count; r++)
                {
                    var row = x.Slice(((o * count) + r) * inner, inner);
                    for (int i = 0; i < inner; i++)
                    {
                        acc[i] += T.Exp(row[i] - max[i]);
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
                T acc = T.Zero;
                foreach (int off in offsets)
                {
                    acc += T.Exp(src[off] - y[o]);
                }

                sum[o] = acc;
            }
        }

        for (int o = 0; o < y.Length; o++)
        {
            if (!T.IsInfinity(y[o]) && !T.IsNaN(y[o]))
            {
                y[o] += T.Log(sum[o]);
            }
        }
    }

    private static void StoreTruncated(double[] values, Tensor y)
    {
        switch (y.DataType)
        {
            case DataType.Int32: Store(values, y.AsSpan<int>()); break;
            case DataType.Int64: Store(values, y.AsSpan<long>()); break;
            case DataType.UInt32: Store(values, y.AsSpan<uint>()); break;
            default: Store(values, y.AsSpan<ulong>()); break;
        }

        static void Store<T>(double[] src, Span<T> dst)
            where T : INumber<T>
        {
            for (int i = 0; i < src.Length; i++)
            {
                dst[i] = T.CreateSaturating(src[i]);
            }
        }
    }
}
