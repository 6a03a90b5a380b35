using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>The window reductions <see cref="NchwcPooling"/> computes.</summary>
internal enum NchwcPoolKind
{
    /// <summary>Maximum over the window's taps inside the input (pads never win).</summary>
    Max,

    /// <summary>Mean over the window's taps inside the input (the pass converts AveragePool only without pads or ceil_mode).</summary>
    Average,

    /// <summary>Mean of the whole plane.</summary>
    GlobalAverage,

    /// <summary>Maximum of the whole plane.</summary>
    GlobalMax,
}

/// <summary>
/// MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool over NCHWc tensors: 16 channels per vector, each output
/// pixel reduces its window's valid taps. Work items are (image, block, output row); global pools (image, block).
/// </summary>
internal static unsafe class NchwcPooling
{
    /// <summary>Lets benchmarks compare the windowed pools with and without prefetching input rows.</summary>
    internal static bool PrefetchRows { get; set; } = true;

    public static void Run(NchwcPoolKind kind, in NchwcGeometry g, float* x, float* y, int threads)
    {
        int blocks = NchwcLayout.Blocks(g.C);
        if (kind is NchwcPoolKind.GlobalAverage or NchwcPoolKind.GlobalMax)
        {
            ParallelFor.Range(g.N * blocks, threads, Math.Max(1, (1 << 14) / Math.Max(1, g.PlaneIn)), new GlobalWork(kind == NchwcPoolKind.GlobalMax, g.PlaneIn, x, y));
            return;
        }

        long perRow = (long)g.OW * g.KH * g.KW;
        ParallelFor.Range(g.N * blocks * g.OH, threads, (int)Math.Max(1, (1L << 13) / Math.Max(1, perRow)), new WindowWork(kind, g, x, y));
    }

    private readonly struct GlobalWork(bool max, int plane, float* x, float* y) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            for (int item = start; item < end; item++)
            {
                float* p = x + ((long)item * plane * NchwcLayout.Block);
                Vector512<float> acc;
                if (max)
                {
                    acc = Vector512.Create(float.NegativeInfinity);
                    for (int i = 0; i < plane; i++)
                    {
                        acc = GemmVector512.Max(acc, Vector512.Load(p + ((long)i * NchwcLayout.Block)));
                    }
                }
                else
                {
                    Vector512<float> a0 = default, a1 = default;
                    int i = 0;
                    for (; i + 2 <= plane; i += 2)
                    {
                        a0 += Vector512.Load(p + ((long)i * NchwcLayout.Block));
                        a1 += Vector512.Load(p + ((long)(i + 1) * NchwcLayout.Block));
                    }

                    if (i < plane)
                    {
                        a0 += Vector512.Load(p + ((long)i * NchwcLayout.Block));
                    }

                    acc = (a0 + a1) * Vector512.Create(1f / plane);
                }

                Vector512.Store(acc, y + ((long)item * NchwcLayout.Block));
            }
        }
    }

    /// <summary>
    /// Windowed pools, (plane, output row) items. Interior pixels (every kw tap inside the row) run in tiles of 8/4/2/1
    /// independent reductions: one chain per pixel would wait on each NaN-propagating max (3 dependent instructions) or
    /// add in turn; border pixels one at a time with their valid kw range.
    /// </summary>
    private readonly struct WindowWork(NchwcPoolKind kind, NchwcGeometry g, float* x, float* y) : IRangeWork
    {
        private const int B = NchwcLayout.Block;

        public void Invoke(int start, int end)
        {
            bool max = kind == NchwcPoolKind.Max;
            var (owLo, owHi) = g.InteriorColumns();
            nint rowStride = (nint)g.DilationH * g.W * B;
            for (int item = start; item < end; item++)
            {
                int oh = item % g.OH;
                int plane = item / g.OH;
                float* xPlane = x + ((long)plane * g.PlaneIn * B);
                float* yRow = y + ((((long)plane * g.OH) + oh) * g.OW * B);
                var (ih0, khLo, khHi) = g.RowTaps(oh);
                if (PrefetchRows && oh + 2 < g.OH)
                {
                    // Batch-8 feature maps come from DRAM.
                    g.PrefetchNewRows(xPlane, oh + 2);
                }

                int ow = 0;
                for (; ow < owLo; ow++)
                {
                    Pixel(xPlane, ih0, khLo, khHi, ow, yRow, max);
                }

                float* x0 = xPlane + ((((long)(ih0 + (khLo * g.DilationH)) * g.W) - g.PadLeft) * B);
                int rows = khHi - khLo;
                var scale = Vector512.Create(rows > 0 ? 1f / (rows * g.KW) : 0f);
                nint ps = (nint)g.StrideW * B;
                for (; ow + 8 <= owHi; ow += 8)
                {
                    Tile<GemmRows8>(x0 + (ow * ps), rows, rowStride, yRow + (ow * B), max, scale);
                }

                if (ow + 4 <= owHi)
                {
                    Tile<GemmRows4>(x0 + (ow * ps), rows, rowStride, yRow + (ow * B), max, scale);
                    ow += 4;
                }

                for (; ow < owHi; ow++)
                {
                    Tile<GemmRows1>(x0 + (ow * ps), rows, rowStride, yRow + (ow * B), max, scale);
                }

                for (ow = Math.Max(ow, owLo); ow < g.OW; ow++)
                {
                    Pixel(xPlane, ih0, khLo, khHi, ow, yRow, max);
                }
            }
        }

        /// <summary>One output pixel with its valid kw range.</summary>
        private void Pixel(float* xPlane, int ih0, int khLo, int khHi, int ow, float* yRow, bool max)
        {
            var (iw0, kwLo, kwHi) = g.ColumnTaps(ow);
            var acc = max ? Vector512.Create(float.NegativeInfinity) : Vector512<float>.Zero;
            for (int kh = khLo; kh < khHi; kh++)
            {
                float* xr = xPlane + ((((long)(ih0 + (kh * g.DilationH)) * g.W) + iw0) * B);
                for (int kw = kwLo; kw < kwHi; kw++)
                {
                    var v = Vector512.Load(xr + ((long)kw * g.DilationW * B));
                    acc = max ? GemmVector512.Max(acc, v) : acc + v;
                }
            }

            if (!max)
            {
                int count = (khHi - khLo) * (kwHi - kwLo);
                acc *= Vector512.Create(count > 0 ? 1f / count : 0f);
            }

            Vector512.Store(acc, yRow + ((long)ow * B));
        }

        /// <summary>TP interior output pixels; x at tap (first valid row, column 0) of the first pixel.</summary>
        private void Tile<TP>(float* x, int rows, nint rowStride, float* yo, bool max, Vector512<float> scale)
            where TP : struct, IGemmRows
        {
            var init = max ? Vector512.Create(float.NegativeInfinity) : Vector512<float>.Zero;
            Vector512<float> a0 = init, a1 = init, a2 = init, a3 = init, a4 = init, a5 = init, a6 = init, a7 = init;
            nint ps = (nint)g.StrideW * B;
            nint cs = (nint)g.DilationW * B;
            for (int kh = 0; kh < rows; kh++)
            {
                float* p = x + (kh * rowStride);
                for (int kw = 0; kw < g.KW; kw++, p += cs)
                {
                    if (max)
                    {
                        a0 = GemmVector512.Max(a0, Vector512.Load(p));
                        if (TP.Count > 1)
                        {
                            a1 = GemmVector512.Max(a1, Vector512.Load(p + ps));
                            a2 = GemmVector512.Max(a2, Vector512.Load(p + (2 * ps)));
                            a3 = GemmVector512.Max(a3, Vector512.Load(p + (3 * ps)));
                        }

                        if (TP.Count > 4)
                        {
                            a4 = GemmVector512.Max(a4, Vector512.Load(p + (4 * ps)));
                            a5 = GemmVector512.Max(a5, Vector512.Load(p + (5 * ps)));
                            a6 = GemmVector512.Max(a6, Vector512.Load(p + (6 * ps)));
                            a7 = GemmVector512.Max(a7, Vector512.Load(p + (7 * ps)));
                        }
                    }
                    else
                    {
                        a0 += Vector512.Load(p);
                        if (TP.Count > 1)
                        {
                            a1 += Vector512.Load(p + ps);
                            a2 += Vector512.Load(p + (2 * ps));
                            a3 += Vector512.Load(p + (3 * ps));
                        }

                        if (TP.Count > 4)
                        {
                            a4 += Vector512.Load(p + (4 * ps));
                            a5 += Vector512.Load(p + (5 * ps));
                            a6 += Vector512.Load(p + (6 * ps));
                            a7 += Vector512.Load(p + (7 * ps));
                        }
                    }
                }
            }

            if (!max)
            {
                a0 *= scale;
                a1 *= scale;
                a2 *= scale;
                a3 *= scale;
                a4 *= scale;
                a5 *= scale;
                a6 *= scale;
                a7 *= scale;
            }

            Vector512.Store(a0, yo);
            if (TP.Count > 1)
            {
                Vector512.Store(a1, yo + B);
                Vector512.Store(a2, yo + (2 * B));
                Vector512.Store(a3, yo + (3 * B));
            }

            if (TP.Count > 4)
            {
                Vector512.Store(a4, yo + (4 * B));
                Vector512.Store(a5, yo + (5 * B));
                Vector512.Store(a6, yo + (6 * B));
                Vector512.Store(a7, yo + (7 * B));
            }
        }
    }
}
