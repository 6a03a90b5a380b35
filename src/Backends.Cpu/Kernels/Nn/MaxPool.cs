using System.Numerics;
using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// MaxPool: Y[n, c, o] = max of X[n, c, o * s - pad + kk * d] over the window (padding excluded), optional Indices
/// output = flat index of the max in X (storage_order 1: spatial part column-major), with ceil_mode, dilations and
/// auto_pad (https://onnx.ai/onnx/operators/onnx__MaxPool.html).
/// </summary>
internal sealed unsafe class MaxPool : IKernel
{
    private readonly ConvGeometry _geometry;
    private readonly bool _columnMajor;

    public MaxPool(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
        _columnMajor = ctx.Attributes.GetInt("storage_order", 0) != 0;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.Rank < 3)
        {
            throw ctx.Error($"input X must have rank >= 3 ([N, C, D1, ...]), got shape {x.ShapeString}");
        }

        var plan = ConvPlan.Forward(ctx, _geometry, x.Dims, default, kernelRequired: true);
        Span<int> yDims = stackalloc int[x.Rank];
        x.Dims.CopyTo(yDims);
        plan.Output.CopyTo(yDims[2..]);
        var y = ctx.OutputUninitialized(0, x.DataType, yDims); // every window writes its element
        int planes = x.Dims[0] * x.Dims[1];
        Span<long> indices = ctx.IsOutputRequested(1) ? ctx.Output(1, DataType.Int64, yDims).AsSpan<long>() : default;
        switch (x.DataType)
        {
            case DataType.Float32 when plan.Rank == 2 && indices.IsEmpty:
                fixed (float* px = x.AsSpan<float>())
                fixed (float* py = y.AsSpan<float>())
                {
                    if (!MaxPoolVector.TryRun(plan, px, py, planes, ctx.IntraOpThreads))
                    {
                        ParallelFor.Range(planes, ctx.IntraOpThreads, Math.Max(1, (1 << 15) / Math.Max(1, plan.OutputSize * plan.KernelSize)), new Max2D(px, py, plan));
                    }
                }

                break;
            case DataType.Float32: WindowPool.Run(x.AsSpan<float>(), y.AsSpan<float>(), indices, planes, plan, default(MaxAccumulator<float>)); break;
            case DataType.Float64: WindowPool.Run(x.AsSpan<double>(), y.AsSpan<double>(), indices, planes, plan, default(MaxAccumulator<double>)); break;
            case DataType.Int8: WindowPool.Run(x.AsSpan<sbyte>(), y.AsSpan<sbyte>(), indices, planes, plan, default(MaxAccumulator<sbyte>)); break;
            case DataType.UInt8: WindowPool.Run(x.AsSpan<byte>(), y.AsSpan<byte>(), indices, planes, plan, default(MaxAccumulator<byte>)); break;
            case DataType.Float16:
            case DataType.BFloat16:
                var yf = new float[y.Length];
                WindowPool.Run<float, MaxAccumulator<float>>(FloatConversion.ToFloat(x), yf, indices, planes, plan, default);
                FloatConversion.FromFloat(yf, y);
                break;
            default:
                throw ctx.Error($"unsupported element type {x.DataType.Name()}");
        }

        if (_columnMajor && !indices.IsEmpty)
        {
            ToColumnMajor(indices, plan.Input);
        }
    }

    /// <summary>
    /// 2-D float MaxPool without Indices over planes [start, end): per output the kernel rows and columns inside the input
    /// are computed once (padding never wins), then a plain max loop.
    /// </summary>
    private readonly struct Max2D(float* x, float* y, ConvPlan p) : IRangeWork
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int ih = p.Input[0], iw = p.Input[1], oh = p.Output[0], ow = p.Output[1];
            int kh = p.Kernel[0], kw = p.Kernel[1], sy = p.Strides[0], sx = p.Strides[1], dy = p.Dilations[0], dx = p.Dilations[1];
            int padTop = p.PadsBegin[0], padLeft = p.PadsBegin[1];

            // The kernel columns inside the input depend only on ox: computed once per call (two integer divisions per
            // column instead of per output). Widths beyond the stack budget fall back to a heap array.
            Span<int> columnLo = ow <= 1024 ? stackalloc int[ow] : new int[ow];
            Span<int> columnHi = ow <= 1024 ? stackalloc int[ow] : new int[ow];
            for (int ox = 0; ox < ow; ox++)
            {
                int x0 = (ox * sx) - padLeft;
                columnLo[ox] = x0 >= 0 ? 0 : (-x0 + dx - 1) / dx;
                columnHi[ox] = Math.Min(kw, (iw - x0 + dx - 1) / dx);
            }

            for (int plane = start; plane < end; plane++)
            {
                float* xp = x + ((long)plane * p.InputSize);
                float* yp = y + ((long)plane * p.OutputSize);
                for (int oy = 0; oy < oh; oy++)
                {
                    int y0 = (oy * sy) - padTop;
                    int kyLo = y0 >= 0 ? 0 : (-y0 + dy - 1) / dy;
                    int kyHi = Math.Min(kh, (ih - y0 + dy - 1) / dy);
                    float* yRow = yp + (oy * ow);
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int x0 = (ox * sx) - padLeft;
                        int kxLo = columnLo[ox], kxHi = columnHi[ox];

                        // Math.Max is the IEEE 754-2019 maximum: a NaN propagates (and it compiles without data-dependent branches).
                        float best = float.NegativeInfinity;
                        for (int ky = kyLo; ky < kyHi; ky++)
                        {
                            float* row = xp + ((y0 + (ky * dy)) * iw) + x0;
                            for (int kx = kxLo; kx < kxHi; kx++)
                            {
                                float v = row[kx * dx];
                                best = Math.Max(best, v);
                            }
                        }

                        // A window entirely in the padding yields 0, as the generic accumulator does.
                        yRow[ox] = kyLo >= kyHi || kxLo >= kxHi ? 0f : best;
                    }
                }
            }
        }
    }

    /// <summary>Rewrites the spatial part of each flat index from row-major to column-major order.</summary>
    private static void ToColumnMajor(Span<long> indices, int[] spatial)
    {
        long size = 1;
        foreach (int d in spatial)
        {
            size *= d;
        }

        for (int i = 0; i < indices.Length; i++)
        {
            long plane = indices[i] / size;
            long rest = indices[i] % size;
            long colMajor = 0;
            long stride = size;
            long colStride = 1;
            for (int d = 0; d < spatial.Length; d++)
            {
                stride /= spatial[d];
                long coord = rest / stride;
                rest %= stride;
                colMajor += coord * colStride;
                colStride *= spatial[d];
            }

            indices[i] = (plane * size) + colMajor;
        }
    }
}
