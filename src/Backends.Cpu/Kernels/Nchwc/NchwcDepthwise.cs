using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>
/// Depthwise NCHWc convolution (group = C = M): Y[n, cb, oh, ow, :] = B[cb] + sum over (kh, kw) of W[cb, kh, kw, :] *
/// X[n, cb, oh * s - pad + kh * d, ow * s - pad + kw * d, :], 16 channels per vector, output pixels in register tiles of
/// 8, 4, 2 and 1. Planes up to <see cref="PaddedPlaneWidth"/> wide are copied into a zero-padded per-thread plane so
/// every pixel takes the tile path (work items: image x block); wider planes skip the taps outside the input instead
/// (no copy: a row's valid kh range is computed once, interior pixels run in tiles, border pixels one at a time with
/// their valid kw range; work items: image x block x output row).
/// </summary>
internal static unsafe class NchwcDepthwise
{
    /// <summary>Widest input plane copied into a padded scratch plane (wider planes have few border pixels per row).</summary>
    public const int PaddedPlaneWidth = 32;

    /// <summary>Output rows ahead whose new input rows the row path prefetches.</summary>
    private const int PrefetchDistance = 2;

    /// <summary>Lets benchmarks compare the row path with and without software prefetch.</summary>
    internal static bool PrefetchRows { get; set; } = true;

    /// <summary>
    /// Whether the sliding-tile rows of wide planes also prefetch the output row they write two rows on (NchwcConv per
    /// run, in-process alternation: mobilenet_v2 b1 2.12 -> 2.07 ms, efficientnet_b0 b1 3.39 -> 3.32 ms, b8 unchanged).
    /// </summary>
    internal static bool PrefetchOutputRows { get; set; } = true;

    /// <summary>Lets tests and benchmarks turn the unrolled sliding tiles (<see cref="NchwcDepthwiseTiles"/>) off.</summary>
    internal static bool SlidingTiles { get; set; } = true;

    /// <summary>
    /// Whether <see cref="NchwcDepthwiseTiles"/> has tiles for this geometry: kernel rows 3 or 5 wide, column stride 1 or
    /// 2, unit dilation (MobileNet's and EfficientNet's depthwise layers). Such rows need no padded copy: tiles at the
    /// plane's edges read the columns outside it as zero.
    /// </summary>
    public static bool HasSlidingTiles(in NchwcGeometry g) =>
        SlidingTiles && g.KW is 3 or 5 && g.StrideW is 1 or 2 && g.DilationW == 1 && g.DilationH == 1;

    /// <summary>One finished output vector: plus the residual at <paramref name="z"/> (when not null), then clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Finish(Vector512<float> v, float* z, GemmClamp clamp)
    {
        if (z != null)
        {
            v += Vector512.Load(z);
        }

        if (clamp.Enabled)
        {
            v = GemmVector512.Clamp(v, Vector512.Create(clamp.Lo), Vector512.Create(clamp.Hi));
        }

        return v;
    }

    public static void Run(in NchwcGeometry g, NchwcWeights weights, float* x, float* y, float* residual, GemmClamp clamp, GemmPostOp? post, int threads)
    {
        int blocks = NchwcLayout.Blocks(g.C);
        var work = new Work(g, weights, x, y, residual, clamp, post, HasSlidingTiles(g));
        if (!HasSlidingTiles(g) && g.W <= PaddedPlaneWidth && g.NeedsPadding && g.StrideH == 1)
        {
            long perPlane = (long)g.PlaneOut * g.KH * g.KW;
            ParallelFor.Range(g.N * blocks, threads, (int)Math.Max(1, (1L << 13) / Math.Max(1, perPlane)), new PlaneWork(work));
            return;
        }

        long perRow = (long)g.OW * g.KH * g.KW;
        ParallelFor.Range(g.N * blocks * g.OH, threads, (int)Math.Max(1, (1L << 13) / Math.Max(1, perRow)), work);
    }

    /// <summary>
    /// On the calling thread: every output row of every block of image 0 through the sliding tiles (<see
    /// cref="HasSlidingTiles"/> must hold), X's block planes <paramref name="xPlane"/> pixels apart and Y's
    /// <paramref name="yPlane"/>: a band of rows read from a band buffer and written into the whole output
    /// (<see cref="NchwcExpandDepthwiseDriver"/>). No residual.
    /// </summary>
    public static void RunBand(in NchwcGeometry g, NchwcWeights weights, float* x, long xPlane, float* y, long yPlane, GemmClamp clamp, GemmPostOp? post)
    {
        if (!HasSlidingTiles(g) || g.N != 1 || xPlane < g.PlaneIn || yPlane < g.PlaneOut)
        {
            throw new ArgumentException($"RunBand needs one image of a 3- or 5-wide, stride 1 or 2 depthwise geometry and planes of at least {g.PlaneIn} / {g.PlaneOut} pixels");
        }

        new Work(g, weights, x, y, null, clamp, post, true, xPlane, yPlane).Invoke(0, NchwcLayout.Blocks(g.C) * g.OH);
    }

    /// <summary>Whole planes through a zero-padded copy.</summary>
    private readonly struct PlaneWork(Work rows) : IRangeWork
    {
        public void Invoke(int start, int end) => rows.Planes(start, end);
    }

    private readonly struct Work(
        NchwcGeometry g, NchwcWeights weights, float* x, float* y, float* residual, GemmClamp clamp, GemmPostOp? post, bool sliding, long xPlane = -1, long yPlane = -1)
        : IRangeWork
    {
        private const int B = NchwcLayout.Block;

        /// <summary>Pixels from one input block plane to the next (a band buffer's may hold more rows than g.H).</summary>
        private long XPlane => xPlane >= 0 ? xPlane : g.PlaneIn;

        /// <summary>Pixels from one output block plane to the next (the whole output's when a band of rows is computed).</summary>
        private long YPlane => yPlane >= 0 ? yPlane : g.PlaneOut;

        public void Invoke(int start, int end)
        {
            if (sliding)
            {
                SlidingRows(start, end);
                return;
            }

            int blocks = NchwcLayout.Blocks(g.C);
            int k = g.KH * g.KW;
            var (owLo, owHi) = g.InteriorColumns();
            nint rowStride = (nint)g.DilationH * g.W * B;
            float* packed = weights.Packed;
            float* biasAll = weights.Bias;
            {
                for (int item = start; item < end; item++)
                {
                    int oh = item % g.OH;
                    int plane = item / g.OH;
                    int cb = plane % blocks;
                    float* xPlane = x + ((long)plane * g.PlaneIn * B);
                    float* w = packed + ((long)cb * k * B);
                    var bias = Vector512.Load(biasAll + (cb * B));
                    long rowOffset = (((long)plane * g.OH) + oh) * g.OW * B;
                    float* yRow = y + rowOffset;
                    float* zRow = residual == null ? null : residual + rowOffset;
                    var (ih0, khLo, khHi) = g.RowTaps(oh);
                    if (PrefetchRows && oh + PrefetchDistance < g.OH)
                    {
                        g.PrefetchNewRows(xPlane, oh + PrefetchDistance);
                    }

                    int ow = 0;
                    for (; ow < owLo; ow++)
                    {
                        Pixel(xPlane, w, ih0, khLo, khHi, ow, bias, yRow, zRow);
                    }

                    // Interior pixels: the tile's first tap row and column are inside the input.
                    float* x0 = xPlane + ((((long)(ih0 + (khLo * g.DilationH)) * g.W) - g.PadLeft) * B);
                    float* w0 = w + (khLo * g.KW * B);
                    Tiles(x0, khHi - khLo, rowStride, w0, ow, owHi, bias, yRow, zRow);
                    for (ow = Math.Max(owHi, owLo); ow < g.OW; ow++)
                    {
                        Pixel(xPlane, w, ih0, khLo, khHi, ow, bias, yRow, zRow);
                    }

                    post?.Apply(new Span<float>(yRow, g.OW * B));
                }
            }
        }

        /// <summary>
        /// Output rows [start, end) of (image, block, row) through <see cref="SlidingRow"/>: indices stepped without
        /// divisions and kernel rows clipped for unit dilation, since on 7x7 and 14x14 planes the per-row bookkeeping
        /// costs as much as the row.
        /// </summary>
        private void SlidingRows(int start, int end)
        {
            int blocks = NchwcLayout.Blocks(g.C);
            int taps = g.KH * g.KW;
            int oh = start % g.OH;
            int plane = start / g.OH;
            int cb = plane % blocks;
            bool prefetch = PrefetchRows && g.W > PaddedPlaneWidth;
            bool prefetchOut = PrefetchOutputRows && System.Runtime.Intrinsics.X86.Sse.IsSupported;
            long xStride = XPlane * B, yStride = YPlane * B;
            for (int item = start; item < end; item++)
            {
                float* xPlane = x + (plane * xStride);
                long rowOffset = (plane * yStride) + ((long)oh * g.OW * B);
                float* yRow = y + rowOffset;
                int ih0 = (oh * g.StrideH) - g.PadTop;
                int khLo = Math.Min(g.KH, Math.Max(0, -ih0));
                int khHi = Math.Max(khLo, Math.Min(g.KH, g.H - ih0));
                if (prefetch && oh + PrefetchDistance < g.OH)
                {
                    g.PrefetchNewRows(xPlane, oh + PrefetchDistance);
                    if (prefetchOut)
                    {
                        // The output row written two items on: its lines come from L3 or memory before the stores.
                        float* ahead = yRow + ((long)PrefetchDistance * g.OW * B);
                        for (int i = 0; i < g.OW * B; i += B)
                        {
                            System.Runtime.Intrinsics.X86.Sse.Prefetch0(ahead + i);
                        }
                    }
                }

                SlidingRow(
                    xPlane, weights.Packed + ((long)cb * taps * B), ih0, khLo, khHi, Vector512.Load(weights.Bias + (cb * B)), yRow,
                    residual == null ? null : residual + rowOffset);
                post?.Apply(new Span<float>(yRow, g.OW * B));
                if (++oh == g.OH)
                {
                    oh = 0;
                    plane++;
                    cb = cb + 1 == blocks ? 0 : cb + 1;
                }
            }
        }

        /// <summary>
        /// One output row in unrolled tiles of 8 pixels and one of the rest (<see cref="NchwcDepthwiseTiles"/>): kernel rows
        /// [khLo, khHi) are inside the input; a tile with a column outside it reads that column as zero.
        /// </summary>
        private void SlidingRow(float* xPlane, float* w, int ih0, int khLo, int khHi, Vector512<float> bias, float* yRow, float* zRow)
        {
            int k = g.KW, s = g.StrideW;
            float* x0 = xPlane + ((long)(ih0 + khLo) * g.W * B);
            float* w0 = w + (khLo * k * B);
            nint rowStride = (nint)g.W * B;
            int rows = khHi - khLo;
            for (int ow = 0; ow < g.OW;)
            {
                int t = Math.Min(8, g.OW - ow);
                int c0 = (ow * s) - g.PadLeft;
                float* yo = yRow + (ow * B);
                float* zo = zRow == null ? null : zRow + (ow * B);
                if (c0 >= 0 && c0 + ((t - 1) * s) + k <= g.W)
                {
                    NchwcDepthwiseTiles.Run<InsideColumns>(k, s, t, x0, rowStride, rows, w0, c0, g.W, bias, yo, zo, clamp);
                }
                else
                {
                    NchwcDepthwiseTiles.Run<EdgeColumns>(k, s, t, x0, rowStride, rows, w0, c0, g.W, bias, yo, zo, clamp);
                }

                ow += t;
            }
        }

        /// <summary>Planes [start, end) of (image, block): each copied into a zero-padded thread-local plane, then every row in tiles.</summary>
        public void Planes(int start, int end)
        {
            int blocks = NchwcLayout.Blocks(g.C);
            int k = g.KH * g.KW;
            var (hp, wp) = g.PaddedSize();
            var scratch = Nn.ThreadScratch.Floats((hp * wp * B) + B);
            nint rowStride = (nint)g.DilationH * wp * B;
            float* packed = weights.Packed;
            float* biasAll = weights.Bias;
            fixed (float* unaligned = scratch)
            {
                // 64-byte aligned: every tap is a full-vector load, a misaligned one splits two cache lines.
                float* padded = (float*)(((nint)unaligned + 63) & ~(nint)63);
                for (int plane = start; plane < end; plane++)
                {
                    int cb = plane % blocks;
                    g.CopyPadded(x + ((long)plane * g.PlaneIn * B), padded, hp, wp, B);

                    float* w = packed + ((long)cb * k * B);
                    var bias = Vector512.Load(biasAll + (cb * B));
                    for (int oh = 0; oh < g.OH; oh++)
                    {
                        long rowOffset = (((long)plane * g.OH) + oh) * g.OW * B;
                        float* yRow = y + rowOffset;
                        float* zRow = residual == null ? null : residual + rowOffset;
                        float* x0 = padded + ((long)oh * g.StrideH * wp * B);
                        Tiles(x0, g.KH, rowStride, w, 0, g.OW, bias, yRow, zRow);
                        post?.Apply(new Span<float>(yRow, g.OW * B));
                    }
                }
            }
        }

        /// <summary>
        /// Output pixels [from, to) of a row whose taps are all inside <paramref name="x0"/>'s plane: x0 is tap row 0,
        /// column 0 of output pixel 0 (kh rows <paramref name="rowStride"/> floats apart, <paramref name="khCount"/> of them).
        /// </summary>
        private void Tiles(float* x0, int khCount, nint rowStride, float* w0, int from, int to, Vector512<float> bias, float* yRow, float* zRow)
        {
            int ow = from;
            nint ps = (nint)g.StrideW * B;
            for (; ow + 8 <= to; ow += 8)
            {
                Tile<GemmRows8>(x0 + (ow * ps), khCount, rowStride, w0, bias, yRow + (ow * B), zRow == null ? null : zRow + (ow * B));
            }

            if (ow + 4 <= to)
            {
                Tile<GemmRows4>(x0 + (ow * ps), khCount, rowStride, w0, bias, yRow + (ow * B), zRow == null ? null : zRow + (ow * B));
                ow += 4;
            }

            if (ow + 2 <= to)
            {
                Tile<GemmRows2>(x0 + (ow * ps), khCount, rowStride, w0, bias, yRow + (ow * B), zRow == null ? null : zRow + (ow * B));
                ow += 2;
            }

            if (ow < to)
            {
                Tile<GemmRows1>(x0 + (ow * ps), khCount, rowStride, w0, bias, yRow + (ow * B), zRow == null ? null : zRow + (ow * B));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector512<float> Finish(Vector512<float> v, float* z) => NchwcDepthwise.Finish(v, z, clamp);

        /// <summary>One output pixel with its valid kw range (borders).</summary>
        private void Pixel(float* xPlane, float* w, int ih0, int khLo, int khHi, int ow, Vector512<float> bias, float* yRow, float* zRow)
        {
            var (iw0, kwLo, kwHi) = g.ColumnTaps(ow);
            var acc = bias;
            for (int kh = khLo; kh < khHi; kh++)
            {
                float* xr = xPlane + ((long)(ih0 + (kh * g.DilationH)) * g.W * B);
                for (int kw = kwLo; kw < kwHi; kw++)
                {
                    acc = Vector512.FusedMultiplyAdd(
                        Vector512.Load(xr + ((long)(iw0 + (kw * g.DilationW)) * B)),
                        Vector512.Load(w + (((kh * g.KW) + kw) * B)),
                        acc);
                }
            }

            long o = (long)ow * B;
            Vector512.Store(Finish(acc, zRow == null ? null : zRow + o), yRow + o);
        }

        /// <summary>TP output pixels with every tap inside the plane; x at tap (0, 0) of the first pixel.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Tile<TP>(float* x, int khCount, nint rowStride, float* w, Vector512<float> bias, float* yo, float* zo)
            where TP : struct, IGemmRows
        {
            var a0 = bias;
            var a1 = bias;
            var a2 = bias;
            var a3 = bias;
            var a4 = bias;
            var a5 = bias;
            var a6 = bias;
            var a7 = bias;
            nint ps = (nint)g.StrideW * B;
            nint cs = (nint)g.DilationW * B;
            int kwCount = g.KW;
            for (int kh = 0; kh < khCount; kh++)
            {
                float* p = x + (kh * rowStride);
                float* wr = w + (kh * kwCount * B);
                for (int kw = 0; kw < kwCount; kw++, p += cs, wr += B)
                {
                    var wv = Vector512.Load(wr);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Load(p), wv, a0);
                    if (TP.Count > 1)
                    {
                        a1 = Vector512.FusedMultiplyAdd(Vector512.Load(p + ps), wv, a1);
                    }

                    if (TP.Count > 2)
                    {
                        a2 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (2 * ps)), wv, a2);
                        a3 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (3 * ps)), wv, a3);
                    }

                    if (TP.Count > 4)
                    {
                        a4 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (4 * ps)), wv, a4);
                        a5 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (5 * ps)), wv, a5);
                        a6 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (6 * ps)), wv, a6);
                        a7 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (7 * ps)), wv, a7);
                    }
                }
            }

            Vector512.Store(Finish(a0, zo), yo);
            if (TP.Count > 1)
            {
                Vector512.Store(Finish(a1, zo == null ? null : zo + B), yo + B);
            }

            if (TP.Count > 2)
            {
                Vector512.Store(Finish(a2, zo == null ? null : zo + (2 * B)), yo + (2 * B));
                Vector512.Store(Finish(a3, zo == null ? null : zo + (3 * B)), yo + (3 * B));
            }

            if (TP.Count > 4)
            {
                Vector512.Store(Finish(a4, zo == null ? null : zo + (4 * B)), yo + (4 * B));
                Vector512.Store(Finish(a5, zo == null ? null : zo + (5 * B)), yo + (5 * B));
                Vector512.Store(Finish(a6, zo == null ? null : zo + (6 * B)), yo + (6 * B));
                Vector512.Store(Finish(a7, zo == null ? null : zo + (7 * B)), yo + (7 * B));
            }
        }
    }
}

/// <summary>Whether a depthwise tile's input columns may fall outside the plane (then they read as zero).</summary>
internal interface IDepthwiseEdge
{
    static abstract bool Checked { get; }
}

/// <summary>Every column of the tile is inside the input plane.</summary>
internal readonly struct InsideColumns : IDepthwiseEdge
{
    public static bool Checked => false;
}

/// <summary>Some columns may be in the padding: each is bounds-checked and reads as zero outside.</summary>
internal readonly struct EdgeColumns : IDepthwiseEdge
{
    public static bool Checked => true;
}
