using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>
/// Depthwise NCHWc convolution (group = C = M): Y[n, cb, oh, ow, :] = B[cb] + sum over (kh, kw) of W[cb, kh, kw, :] *
/// X[n, cb, oh * s - pad + kh * d, ow * s - pad + kw * d, :], 16 channels per vector. Taps outside the input are
/// skipped (no padded copy): a row's valid kh range is computed once, interior pixels run in tiles of 8 with every kw,
/// border pixels one at a time with their valid kw range. Work items are (image, block, output row).
/// </summary>
internal static unsafe class NchwcDepthwise
{
    public static void Run(in NchwcGeometry g, NchwcWeights weights, float* x, float* y, float* residual, GemmClamp clamp, GemmPostOp? post, int threads)
    {
        int blocks = NchwcLayout.Blocks(g.C);
        long perRow = (long)g.OW * g.KH * g.KW;
        ParallelFor.Range(g.N * blocks * g.OH, threads, (int)Math.Max(1, (1L << 13) / Math.Max(1, perRow)), new Work(g, weights, x, y, residual, clamp, post));
    }

    private readonly struct Work(NchwcGeometry g, NchwcWeights weights, float* x, float* y, float* residual, GemmClamp clamp, GemmPostOp? post) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            int blocks = NchwcLayout.Blocks(g.C);
            int k = g.KH * g.KW;
            int owLo = Math.Min(g.OW, (g.PadLeft + g.StrideW - 1) / g.StrideW);
            int lastStart = g.W - 1 - ((g.KW - 1) * g.DilationW) + g.PadLeft;
            int owHi = lastStart < 0 ? owLo : Math.Clamp((lastStart / g.StrideW) + 1, owLo, g.OW);
            fixed (float* packed = weights.Packed)
            fixed (float* biasAll = weights.Bias)
            {
                for (int item = start; item < end; item++)
                {
                    int oh = item % g.OH;
                    int plane = item / g.OH;
                    int cb = plane % blocks;
                    float* xPlane = x + ((long)plane * g.PlaneIn * NchwcLayout.Block);
                    float* w = packed + ((long)cb * k * NchwcLayout.Block);
                    var bias = Vector512.Load(biasAll + (cb * NchwcLayout.Block));
                    long rowOffset = (((long)plane * g.OH) + oh) * g.OW * NchwcLayout.Block;
                    float* yRow = y + rowOffset;
                    float* zRow = residual == null ? null : residual + rowOffset;
                    int ih0 = (oh * g.StrideH) - g.PadTop;
                    int khLo = ih0 >= 0 ? 0 : Math.Min(g.KH, (-ih0 + g.DilationH - 1) / g.DilationH);
                    int khHi = Math.Max(khLo, Math.Min(g.KH, (g.H - ih0 + g.DilationH - 1) / g.DilationH));
                    int ow = 0;
                    for (; ow < owLo; ow++)
                    {
                        Pixel(xPlane, w, ih0, khLo, khHi, ow, bias, yRow, zRow);
                    }

                    for (; ow + 8 <= owHi; ow += 8)
                    {
                        Tile8(xPlane, w, ih0, khLo, khHi, ow, bias, yRow, zRow);
                    }

                    for (; ow < g.OW; ow++)
                    {
                        Pixel(xPlane, w, ih0, khLo, khHi, ow, bias, yRow, zRow);
                    }

                    post?.Apply(new Span<float>(yRow, g.OW * NchwcLayout.Block));
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector512<float> Finish(Vector512<float> v, float* z)
        {
            if (z != null)
            {
                v += Vector512.Load(z);
            }

            if (clamp.Enabled)
            {
                v = GemmVector512.Min(GemmVector512.Max(v, Vector512.Create(clamp.Lo)), Vector512.Create(clamp.Hi));
            }

            return v;
        }

        /// <summary>One output pixel with its valid kw range (borders).</summary>
        private void Pixel(float* xPlane, float* w, int ih0, int khLo, int khHi, int ow, Vector512<float> bias, float* yRow, float* zRow)
        {
            int iw0 = (ow * g.StrideW) - g.PadLeft;
            int kwLo = iw0 >= 0 ? 0 : Math.Min(g.KW, (-iw0 + g.DilationW - 1) / g.DilationW);
            int kwHi = Math.Max(kwLo, Math.Min(g.KW, (g.W - iw0 + g.DilationW - 1) / g.DilationW));
            var acc = bias;
            for (int kh = khLo; kh < khHi; kh++)
            {
                float* xr = xPlane + ((long)(ih0 + (kh * g.DilationH)) * g.W * NchwcLayout.Block);
                for (int kw = kwLo; kw < kwHi; kw++)
                {
                    acc = Vector512.FusedMultiplyAdd(
                        Vector512.Load(xr + ((long)(iw0 + (kw * g.DilationW)) * NchwcLayout.Block)),
                        Vector512.Load(w + (((kh * g.KW) + kw) * NchwcLayout.Block)),
                        acc);
                }
            }

            long o = (long)ow * NchwcLayout.Block;
            Vector512.Store(Finish(acc, zRow == null ? null : zRow + o), yRow + o);
        }

        /// <summary>Eight interior output pixels (every kw tap inside the row).</summary>
        private void Tile8(float* xPlane, float* w, int ih0, int khLo, int khHi, int ow, Vector512<float> bias, float* yRow, float* zRow)
        {
            var a0 = bias;
            var a1 = bias;
            var a2 = bias;
            var a3 = bias;
            var a4 = bias;
            var a5 = bias;
            var a6 = bias;
            var a7 = bias;
            nint ps = g.StrideW * NchwcLayout.Block;
            int iw0 = (ow * g.StrideW) - g.PadLeft;
            for (int kh = khLo; kh < khHi; kh++)
            {
                float* xr = xPlane + ((((long)(ih0 + (kh * g.DilationH)) * g.W) + iw0) * NchwcLayout.Block);
                float* wr = w + (kh * g.KW * NchwcLayout.Block);
                for (int kw = 0; kw < g.KW; kw++)
                {
                    var wv = Vector512.Load(wr + (kw * NchwcLayout.Block));
                    float* p = xr + ((long)kw * g.DilationW * NchwcLayout.Block);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Load(p), wv, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Load(p + ps), wv, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (2 * ps)), wv, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (3 * ps)), wv, a3);
                    a4 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (4 * ps)), wv, a4);
                    a5 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (5 * ps)), wv, a5);
                    a6 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (6 * ps)), wv, a6);
                    a7 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (7 * ps)), wv, a7);
                }
            }

            float* yo = yRow + ((long)ow * NchwcLayout.Block);
            float* zo = zRow == null ? null : zRow + ((long)ow * NchwcLayout.Block);
            const int B = NchwcLayout.Block;
            Vector512.Store(Finish(a0, zo), yo);
            Vector512.Store(Finish(a1, zo == null ? null : zo + B), yo + B);
            Vector512.Store(Finish(a2, zo == null ? null : zo + (2 * B)), yo + (2 * B));
            Vector512.Store(Finish(a3, zo == null ? null : zo + (3 * B)), yo + (3 * B));
            Vector512.Store(Finish(a4, zo == null ? null : zo + (4 * B)), yo + (4 * B));
            Vector512.Store(Finish(a5, zo == null ? null : zo + (5 * B)), yo + (5 * B));
            Vector512.Store(Finish(a6, zo == null ? null : zo + (6 * B)), yo + (6 * B));
            Vector512.Store(Finish(a7, zo == null ? null : zo + (7 * B)), yo + (7 * B));
        }
    }
}
