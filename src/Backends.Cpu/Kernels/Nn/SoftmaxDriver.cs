using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>Which function of the softmax family to apply along the axis.</summary>
internal enum SoftmaxKind
{
    Softmax,
    LogSoftmax,
    Hardmax,
}

/// <summary>
/// Softmax / LogSoftmax / Hardmax over x viewed as [outer, n, inner]. Before opset 13 the input is coerced to 2-D at
/// axis (default 1): n = product of dims[axis..], inner = 1. From opset 13 the op runs along the single axis (default
/// -1): n = dims[axis], inner = product of dims[axis+1..]. Contiguous rows (inner == 1) and strided blocks both run
/// whole-row TensorPrimitives operations (max, subtract, exp, sum, divide).
/// </summary>
internal static class SoftmaxDriver
{
    public static long DefaultAxis(long opset) => opset < 13 ? 1 : -1;

    public static void Compute(KernelContext ctx, long axisAttribute, SoftmaxKind kind)
    {
        var x = ctx.Input(0);
        int rank = x.Rank;
        if (axisAttribute < -rank || axisAttribute >= Math.Max(rank, 1) || (rank == 0 && ctx.Opset >= 13))
        {
            throw ctx.Error($"axis {axisAttribute} is out of range for rank {rank}");
        }

        int axis = (int)(axisAttribute < 0 ? axisAttribute + rank : axisAttribute);
        int outer = 1, n = 1, inner = 1;
        for (int d = 0; d < rank; d++)
        {
            if (d < axis)
            {
                outer *= x.Dims[d];
            }
            else if (d == axis || ctx.Opset < 13)
            {
                n *= x.Dims[d];
            }
            else
            {
                inner *= x.Dims[d];
            }
        }

        var y = ctx.Output(0, x.DataType, x.Dims);
        switch (x.DataType)
        {
            case DataType.Float32:
                if (inner == 1 && n > 0 && ctx.IntraOpThreads > 1 && (long)outer * n >= 2 * UnaryDriver.TranscendentalGrain)
                {
                    RunRowsParallel(x.AsSpan<float>(), y.AsSpan<float>(), outer, n, kind, ctx.IntraOpThreads);
                    break;
                }

                Run<float>(x.AsSpan<float>(), y.AsSpan<float>(), outer, n, inner, kind);
                break;
            case DataType.Float64:
                Run<double>(x.AsSpan<double>(), y.AsSpan<double>(), outer, n, inner, kind);
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var f = FloatConversion.ToFloat(x);
                Run<float>(f.ToArray(), f, outer, n, inner, kind);
                FloatConversion.FromFloat(f, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }
    }

    private static void Run<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int n, int inner, SoftmaxKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == 0 || x.Length == 0)
        {
            return;
        }

        if (inner == 1)
        {
            var scratch = kind == SoftmaxKind.LogSoftmax ? new T[n] : null;
            for (int o = 0; o < outer; o++)
            {
                Row(x.Slice(o * n, n), y.Slice(o * n, n), kind, scratch);
            }

            return;
        }

        var max = new T[inner];
        var sum = new T[inner];
        var tmp = new T[inner];
        for (int o = 0; o < outer; o++)
        {
            var xb = x.Slice(o * n * inner, n * inner);
            var yb = y.Slice(o * n * inner, n * inner);
            if (kind == SoftmaxKind.Hardmax)
            {
                HardmaxBlock(xb, yb, n, inner);
                continue;
            }

            xb[..inner].CopyTo(max);
            for (int r = 1; r < n; r++)
            {
                TensorPrimitives.Max(max, xb.Slice(r * inner, inner), max);
            }

            Array.Clear(sum);
            for (int r = 0; r < n; r++)
            {
                var dst = kind == SoftmaxKind.Softmax ? yb.Slice(r * inner, inner) : tmp;
                TensorPrimitives.Subtract(xb.Slice(r * inner, inner), max, dst);
                TensorPrimitives.Exp(dst, dst);
                TensorPrimitives.Add(sum, dst, sum);
            }

            if (kind == SoftmaxKind.Softmax)
            {
                for (int r = 0; r < n; r++)
                {
                    var row = yb.Slice(r * inner, inner);
                    TensorPrimitives.Divide(row, sum, row);
                }
            }
            else
            {
                // log softmax = x - (max + log(sum exp(x - max)))
                TensorPrimitives.Log(sum, sum);
                TensorPrimitives.Add(sum, max, sum);
                for (int r = 0; r < n; r++)
                {
                    TensorPrimitives.Subtract(xb.Slice(r * inner, inner), sum, yb.Slice(r * inner, inner));
                }
            }
        }
    }

    /// <summary>Contiguous float rows split across threads (each row costs an exp per element, hence the small grain).</summary>
    private static unsafe void RunRowsParallel(ReadOnlySpan<float> x, Span<float> y, int outer, int n, SoftmaxKind kind, int degree)
    {
        fixed (float* px = x)
        fixed (float* py = y)
        {
            ParallelFor.Range(outer, degree, Math.Max(1, UnaryDriver.TranscendentalGrain / n), new Rows(px, py, n, kind));
        }
    }

    private readonly unsafe struct Rows(float* x, float* y, int n, SoftmaxKind kind) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            var scratch = kind == SoftmaxKind.LogSoftmax ? new float[n] : null;
            for (int o = start; o < end; o++)
            {
                Row(new ReadOnlySpan<float>(x + ((long)o * n), n), new Span<float>(y + ((long)o * n), n), kind, scratch);
            }
        }
    }

    private static void Row<T>(ReadOnlySpan<T> x, Span<T> y, SoftmaxKind kind, T[]? scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kind)
        {
            case SoftmaxKind.Softmax when typeof(T) == typeof(float):
                SoftmaxRow.Run(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
                break;

            case SoftmaxKind.Softmax:
            {
                T max = TensorPrimitives.Max(x);
                TensorPrimitives.Subtract(x, max, y);
                TensorPrimitives.Exp(y, y);
                TensorPrimitives.Divide(y, TensorPrimitives.Sum<T>(y), y);
                break;
            }

            case SoftmaxKind.LogSoftmax:
            {
                T max = TensorPrimitives.Max(x);
                TensorPrimitives.Subtract(x, max, scratch);
                TensorPrimitives.Exp(scratch, scratch);
                T logSum = T.Log(TensorPrimitives.Sum<T>(scratch)) + max;
                TensorPrimitives.Subtract(x, logSum, y);
                break;
            }

            default:
                y.Clear();
                y[TensorPrimitives.IndexOfMax(x)] = T.One;
                break;
        }
    }

    /// <summary>Hardmax along a strided axis: 1 at the first max of each column of the [n, inner] block.</summary>
    private static void HardmaxBlock<T>(ReadOnlySpan<T> x, Span<T> y, int n, int inner)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        y.Clear();
        for (int i = 0; i < inner; i++)
        {
            int best = 0;
            for (int r = 1; r < n; r++)
            {
                T v = x[(r * inner) + i];
                T b = x[(best * inner) + i];
                if (!T.IsNaN(b) && (v > b || T.IsNaN(v)))
                {
                    best = r;
                }
            }

            y[(best * inner) + i] = T.One;
        }
    }
}
