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

    private readonly struct WindowWork(NchwcPoolKind kind, NchwcGeometry g, float* x, float* y) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            bool max = kind == NchwcPoolKind.Max;
            for (int item = start; item < end; item++)
            {
                int oh = item % g.OH;
                int plane = item / g.OH;
                float* xPlane = x + ((long)plane * g.PlaneIn * NchwcLayout.Block);
                float* yRow = y + ((((long)plane * g.OH) + oh) * g.OW * NchwcLayout.Block);
                int ih0 = (oh * g.StrideH) - g.PadTop;
                int khLo = ih0 >= 0 ? 0 : Math.Min(g.KH, (-ih0 + g.DilationH - 1) / g.DilationH);
                int khHi = Math.Max(khLo, Math.Min(g.KH, (g.H - ih0 + g.DilationH - 1) / g.DilationH));
                for (int ow = 0; ow < g.OW; ow++)
                {
                    int iw0 = (ow * g.StrideW) - g.PadLeft;
                    int kwLo = iw0 >= 0 ? 0 : Math.Min(g.KW, (-iw0 + g.DilationW - 1) / g.DilationW);
                    int kwHi = Math.Max(kwLo, Math.Min(g.KW, (g.W - iw0 + g.DilationW - 1) / g.DilationW));
                    var acc = max ? Vector512.Create(float.NegativeInfinity) : Vector512<float>.Zero;
                    for (int kh = khLo; kh < khHi; kh++)
                    {
                        float* xr = xPlane + ((((long)(ih0 + (kh * g.DilationH)) * g.W) + iw0) * NchwcLayout.Block);
                        for (int kw = kwLo; kw < kwHi; kw++)
                        {
                            var v = Vector512.Load(xr + ((long)kw * g.DilationW * NchwcLayout.Block));
                            acc = max ? GemmVector512.Max(acc, v) : acc + v;
                        }
                    }

                    if (!max)
                    {
                        int count = (khHi - khLo) * (kwHi - kwLo);
                        acc *= Vector512.Create(count > 0 ? 1f / count : 0f);
                    }

                    Vector512.Store(acc, yRow + ((long)ow * NchwcLayout.Block));
                }
            }
        }
    }
}
