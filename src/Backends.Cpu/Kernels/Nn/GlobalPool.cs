using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>Shared driver of the global pools: Y [N, C, 1, ..., 1] = f(plane) for each contiguous (n, c) plane of X.</summary>
internal static unsafe class GlobalPool
{
    public static void Run(KernelContext ctx, Func<ReadOnlySpan<float>, float> pool, Func<ReadOnlySpan<double>, double> poolDouble)
    {
        var x = ctx.Input(0);
        if (x.Rank < 2)
        {
            throw ctx.Error($"input X must have rank >= 2 ([N, C, ...]), got shape {x.ShapeString}");
        }

        Span<int> yDims = stackalloc int[x.Rank];
        x.Dims.CopyTo(yDims);
        yDims[2..].Fill(1);

        var y = ctx.OutputUninitialized(0, x.DataType, yDims); // one value per plane, each written
        int planes = x.Dims[0] * x.Dims[1];
        int size = planes == 0 ? 0 : x.Length / planes;
        if (size == 0 && planes > 0)
        {
            throw ctx.Error($"cannot pool over empty spatial dims of X {x.ShapeString}");
        }

        switch (x.DataType)
        {
            case DataType.Float32:
            {
                // Planes in parallel: a pool is one pass over memory, so large inputs are bandwidth-bound per thread.
                fixed (float* px = x.AsSpan<float>())
                fixed (float* py = y.AsSpan<float>())
                {
                    ParallelFor.Range(planes, ctx.IntraOpThreads, Math.Max(1, (1 << 15) / size), new PlaneWork(px, py, size, pool));
                }

                break;
            }

            case DataType.Float64:
            {
                var xs = x.AsSpan<double>();
                var ys = y.AsSpan<double>();
                for (int p = 0; p < planes; p++)
                {
                    ys[p] = poolDouble(xs.Slice(p * size, size));
                }

                break;
            }

            case DataType.Float16:
            case DataType.BFloat16:
            {
                var xs = FloatConversion.ToFloat(x);
                var ys = new float[planes];
                for (int p = 0; p < planes; p++)
                {
                    ys[p] = pool(xs.AsSpan(p * size, size));
                }

                FloatConversion.FromFloat(ys, y);
                break;
            }

            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }

    private readonly struct PlaneWork(float* x, float* y, int size, Func<ReadOnlySpan<float>, float> pool) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            for (int p = start; p < end; p++)
            {
                y[p] = pool(new ReadOnlySpan<float>(x + ((long)p * size), size));
            }
        }
    }
}
