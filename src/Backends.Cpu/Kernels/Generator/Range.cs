using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Generator;

/// <summary>Range: y[i] = start + i * delta for i in [0, max(ceil((limit - start) / delta), 0)) (https://onnx.ai/onnx/operators/onnx__Range.html).</summary>
internal sealed class Range : IKernel
{
    public void Compute(KernelContext context)
    {
        var start = context.Input(0);
        var limit = context.Input(1);
        var delta = context.Input(2);
        for (int i = 0; i < 3; i++)
        {
            var t = context.Input(i);
            if (t.Length != 1)
            {
                throw context.Error($"input {i} must be a scalar, got shape {t.ShapeString}");
            }

            if (t.DataType != start.DataType)
            {
                throw context.Error($"inputs must share one element type: input {i} is {t.DataType.Name()}, input 0 is {start.DataType.Name()}");
            }
        }

        if (start.DataType.IsInteger())
        {
            long s = FirstInt64(start);
            long l = FirstInt64(limit);
            long d = FirstInt64(delta);
            if (d == 0)
            {
                throw context.Error("delta must not be zero");
            }

            // Exact integer count: ceil((l - s) / d) without going through floating point.
            long diff = l - s;
            long n = diff / d;
            if (diff % d != 0 && (diff < 0) == (d < 0))
            {
                n++;
            }

            n = Math.Max(n, 0);
            var output = context.Output(0, start.DataType, [CheckedCount(context, n)]);
            if (output.DataType == DataType.Int64)
            {
                var span = output.AsSpan<long>();
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = s + (i * d);
                }

                return;
            }

            // Narrower integer types: every value lies between start and limit, so it fits the type.
            var values = new double[output.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = s + (i * d);
            }

            DoubleStore.Store(output, values);
            return;
        }

        double fs = start.ToDoubleArray()[0];
        double fl = limit.ToDoubleArray()[0];
        double fd = delta.ToDoubleArray()[0];
        long count = RangeSchema.Count(fs, fl, fd, msg => context.Error(msg));
        var result = context.Output(0, start.DataType, [CheckedCount(context, count)]);
        var doubles = new double[result.Length];
        for (int i = 0; i < doubles.Length; i++)
        {
            doubles[i] = fs + (i * fd);
        }

        DoubleStore.Store(result, doubles);
    }

    private static int CheckedCount(KernelContext context, long n) =>
        n <= int.MaxValue ? (int)n : throw context.Error($"range would have {n} elements, more than {int.MaxValue}");

    /// <summary>The single element of an integer scalar (int64/int32 read in place, other widths widened).</summary>
    private static long FirstInt64(Tensor t) => t.DataType switch
    {
        DataType.Int64 => t.AsReadOnlySpan<long>()[0],
        DataType.Int32 => t.AsReadOnlySpan<int>()[0],
        _ => t.ToInt64Array()[0],
    };
}
