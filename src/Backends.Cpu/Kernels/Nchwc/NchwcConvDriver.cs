using System.Runtime.Intrinsics.X86;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>
/// Dense NCHWc convolution: Y [N, ceil(M/16), OH, OW, 16] = W * X (+ bias, residual, clamp, post-op) with X blocked
/// [N, ceil(C/16), H, W, 16] or, for a first layer, NCHW [N, C, H, W]. The output is cut into tiles of up to 12 pixels
/// of one row (or of the whole plane for a flat 1x1) by 32 channels, each computed by <see cref="NchwcConvMicroKernel"/>
/// straight from the input (no im2col, no packing of X); padding is handled by a zero-padded copy of X made once per
/// call. Work items are (image, output pair, row or 48-pixel run), split over the pool threads in order, so a thread
/// keeps one pair's packed weights hot across its rows.
/// </summary>
internal static unsafe class NchwcConvDriver
{
    private const int MaxTile = 12;
    private const int FlatRun = 4 * MaxTile;

    /// <summary>Lets benchmarks compare flat 1x1 runs with and without the software prefetch of the next tile.</summary>
    internal static bool PrefetchFlat { get; set; } = true;

    /// <summary>
    /// Input bytes of a call (all images) from which flat 1x1 runs prefetch the next tile: smaller inputs are still in
    /// L2 from the layer before and the prefetches only cost (NchwcConv per run, in-process alternation: 4 MB vs always,
    /// mobilenet_v2 b1 2.59 -> 2.52 ms, b8 20.1 -> 19.4, efficientnet_b0 b8 27.7 -> 26.8, resnet50 b8 161 -> 157; then
    /// 1 MB (the L2) vs 4 MB, mobilenet_v2 b1 3.27 -> 3.18 and 3.36 -> 3.24 ms in a slow phase, efficientnet_b0 b1
    /// 5.09 -> 4.97 ms).
    /// </summary>
    internal static long FlatPrefetchMinBytes { get; set; } = 1L << 20;

    /// <summary>Lets benchmarks compare the micro-kernel with and without the prefetch of its weight stream.</summary>
    internal static bool PrefetchWeights { get; set; } = true;

    /// <summary>
    /// Floats ahead of the current channel step at which the micro-kernel prefetches its weight stream (0: not at all):
    /// 64 steps, 8 KB. A pair's weights (K x 32 floats, 150–900 KB for the deep pointwise layers of MobileNetV2 /
    /// EfficientNet) come from L3 or memory once per layer at batch 1; the kernel consumes two lines per 24 FMAs, faster
    /// than the hardware prefetcher fetches them. In the models (NchwcConv total per run, in-process alternation, 2
    /// threads), prefetching 4 KB ahead against none: efficientnet_b0 b1 4.22 -> 4.02 ms, mobilenet_v2 b1 2.86 -> 2.71
    /// ms, resnet50 b1 21.2 -> 20.3 ms; batch 8 unchanged. 8 KB against 4 KB (whole runs, 2026-12-02): mobilenet_v2 b1
    /// 0.6–1.2% faster in four blocks of 150 runs, efficientnet_b0 b1 0.2–0.6%, resnet50 b1/b8 and mobilenet_v2 b8
    /// within the noise; 16 KB against 8 KB 0.4–0.9% slower on mobilenet_v2 b1.
    /// </summary>
    internal static nint WeightPrefetchFloats => PrefetchWeights ? 2048 : 0;

    /// <summary>
    /// Lets benchmarks compare flat 1x1 runs with and without the prefetch of the next tile's residual (where the input
    /// is prefetched). The residual is read once, in the epilogue, 24 lines per tile from two block planes: at batch 8
    /// they come from DRAM and the loads stall the tile's stores (one layer, 2 threads, caches evicted between calls,
    /// alternating: 64->256 56x56 4.01 -> 3.54 ms, 128->512 28x28 3.23 -> 2.98, 256->1024 14x14 2.58 -> 2.35). The same
    /// prefetch of the output lines measured neutral.
    /// </summary>
    internal static bool PrefetchResidual { get; set; } = true;

    /// <summary>
    /// Whether tiles cover four output blocks (64 channels, up to 6 pixels: the two pairs' weights streamed side by side)
    /// instead of two (32 channels, up to 12 pixels) at batch &gt; 1: each pass over the input rows then serves twice the
    /// output channels, as in MLAS's NCHWc kernel, and a channel step issues 4 weight loads and 6 broadcasts per 24 FMAs
    /// instead of 2 and 12. Batch 8, 2 threads, alternating runs in one process (blocks of 20 runs; resnet50 6):
    /// mobilenet_v2 23.6 -> 23.5, 25.4 -> 23.6, 22.9 -> 22.0 ms; efficientnet_b0 30.0 -> 29.3, 29.9 -> 29.1, 30.5 -> 29.6;
    /// squeezenet1_1 14.7 -> 14.5, 14.8 -> 14.3, 14.6 -> 14.4; resnet50 162.8 -> 159.9, 178.8 -> 179.5, 162.5 -> 156.9.
    /// At batch 1, where a layer's input is still in L2 from the layer before, the shorter tiles cost more than the
    /// saved input reads (mobilenet_v2 2.35 -> 2.40 ms, resnet50 19.2 -> 19.7), so batch 1 keeps two-block tiles.
    /// </summary>
    internal static bool Quads { get; set; } = true;

    /// <summary>Lets benchmarks compare the pair-major item order with image-major (always image-major when false).</summary>
    internal static bool AllowPairMajor { get; set; } = true;

    /// <summary>
    /// Whether a strided 1x1 convolution of a blocked input (ResNet's downsampling shortcuts) first gathers the pixels
    /// it reads into a compact copy and then runs as a flat 1x1 over it: walked in place, every output pair re-reads the
    /// strided rows (their skipped pixels' lines come along), from L3 or memory when an image's input outgrows L2.
    /// </summary>
    internal static bool SubsampleStrided { get; set; } = true;

    private static bool Subsamples(in NchwcGeometry g, bool blockedInput) =>
        SubsampleStrided && blockedInput && g.KH == 1 && g.KW == 1 && (g.StrideH > 1 || g.StrideW > 1) && !g.NeedsPadding;

    /// <summary>Floats of scratch <see cref="Run"/> needs for the padded input copy or the subsampled one (0 when none).</summary>
    public static long ScratchFloats(in NchwcGeometry g, bool blockedInput, NchwcWeights weights)
    {
        if (Subsamples(g, blockedInput))
        {
            return (long)g.N * NchwcLayout.Blocks(g.C) * NchwcLayout.Block * g.PlaneOut;
        }

        if (!g.NeedsPadding)
        {
            return 0;
        }

        var (hp, wp) = g.PaddedSize();
        long image = (long)(blockedInput ? NchwcLayout.Blocks(g.C) * NchwcLayout.Block : g.C) * hp * wp;
        return PairMajor(g, weights, image) ? g.N * image : image;
    }

    /// <summary>
    /// Computes Y. Y (and the residual) hold <paramref name="yImageBlocks"/> blocks per image (0: the output's own block
    /// count); a branch of a wider output (<see cref="NchwcTapBranches"/>) starts at its first block.
    /// </summary>
    public static void Run(
        in NchwcGeometry g, bool blockedInput, NchwcWeights weights, float* x, float* y, float* residual, float* scratch,
        GemmClamp clamp, GemmPostOp? post, int threads, int yImageBlocks = 0, bool? quadTiles = null)
    {
        if (Subsamples(g, blockedInput))
        {
            int planes = g.N * NchwcLayout.Blocks(g.C);
            ParallelFor.Range(planes * g.OH, threads, Math.Max(1, 4096 / Math.Max(1, g.OW)), new SubsampleWork(x, scratch, g));
            Run(g with { H = g.OH, W = g.OW, StrideH = 1, StrideW = 1 }, true, weights, scratch, y, residual, null, clamp, post, threads, yImageBlocks, quadTiles);
            return;
        }

        // Four-block tiles at batch > 1 only (see Quads); the per-image calls below inherit the batch's choice.
        bool useQuads = quadTiles ?? (Quads && g.N > 1);
        int yBlocks = yImageBlocks > 0 ? yImageBlocks : NchwcLayout.Blocks(g.M);
        int inBlocks = NchwcLayout.Blocks(g.C);
        int channelsIn = blockedInput ? inBlocks * NchwcLayout.Block : g.C;

        // Items walk pairs across images when the weights outweigh one image's input (deep layers at batch > 1: each
        // pair's panel is read once per thread instead of once per image), images across pairs otherwise.
        var (paddedH, paddedW) = g.NeedsPadding ? g.PaddedSize() : (g.H, g.W);
        long imageIn = (long)paddedH * paddedW * channelsIn;
        bool pairMajor = PairMajor(g, weights, imageIn);
        if (g.N > 1 && g.NeedsPadding && !pairMajor)
        {
            // Image by image: each padded copy is used while it is in cache, not after the whole batch was copied.
            var one = g with { N = 1 };
            long xImage = (long)channelsIn * g.H * g.W, yImage = (long)yBlocks * NchwcLayout.Block * g.PlaneOut;
            for (int img = 0; img < g.N; img++)
            {
                Run(one, blockedInput, weights, x + (img * xImage), y + (img * yImage), residual == null ? null : residual + (img * yImage), scratch, clamp, post, threads, yBlocks, useQuads);
            }

            return;
        }

        int h = g.H, w = g.W;
        if (g.NeedsPadding)
        {
            var (hp, wp) = g.PaddedSize();
            int rowFloats = blockedInput ? NchwcLayout.Block : 1;
            int planes = g.N * (blockedInput ? inBlocks : g.C);
            ParallelFor.Range(planes, threads, 1, new PadWork(x, scratch, g, hp, wp, rowFloats));
            x = scratch;
            h = hp;
            w = wp;
        }

        int taps = blockedInput ? inBlocks * g.KH * g.KW : g.KH * g.KW;
        nint* tapOffsets = stackalloc nint[taps];
        long planeIn = (long)h * w;
        FillTapOffsets(g, blockedInput, w, planeIn, tapOffsets, taps);

        int outBlocks = NchwcLayout.Blocks(g.M);
        bool flat = g.IsFlat;
        int units = flat ? (g.PlaneOut + FlatRun - 1) / FlatRun : g.OH;
        var (quads, groups) = TileGroups(g, useQuads);
        var work = new ConvWork(
            x, y, residual, weights, tapOffsets, taps, g, blockedInput, flat, units, groups, outBlocks, yBlocks, planeIn * channelsIn, w, clamp, post, pairMajor, quads);
        long macsPerUnit = (long)weights.Taps * weights.IcCount * (quads ? 64 : 32) * (flat ? FlatRun : g.OW);
        ParallelFor.Range(g.N * groups * units, threads, (int)Math.Max(1, (1L << 17) / Math.Max(1, macsPerUnit)), work);
    }

    /// <summary>
    /// On the calling thread: output pixels [<paramref name="p0"/>, <paramref name="p1"/>) of image 0 of a flat 1x1
    /// convolution of a blocked X (every output block), pixel p of block j written at y + j * yPlane * 16 + (p - p0) * 16:
    /// a band of rows into a buffer whose block planes are <paramref name="yPlane"/> pixels apart
    /// (<see cref="NchwcExpandDepthwiseDriver"/>). No residual.
    /// </summary>
    public static void RunFlatRange(in NchwcGeometry g, NchwcWeights weights, float* x, int p0, int p1, float* y, long yPlane, GemmClamp clamp, GemmPostOp? post)
    {
        if (!g.IsFlat || p0 < 0 || p1 > g.PlaneOut || p0 >= p1)
        {
            throw new ArgumentException($"RunFlatRange needs a flat 1x1 convolution and 0 <= p0 < p1 <= {g.PlaneOut}, got [{p0}, {p1})");
        }

        int inBlocks = NchwcLayout.Blocks(g.C);
        nint* tapOffsets = stackalloc nint[inBlocks];
        long planeIn = (long)g.H * g.W;
        FillTapOffsets(g, true, g.W, planeIn, tapOffsets, inBlocks);
        int units = (p1 - p0 + FlatRun - 1) / FlatRun;

        // Four-block tiles as the whole convolution would take them (batch > 1, see Quads).
        var (quads, groups) = TileGroups(g, Quads && g.N > 1);
        var work = new ConvWork(
            x, y, null, weights, tapOffsets, inBlocks, g with { N = 1 }, true, true, units, groups, NchwcLayout.Blocks(g.M), NchwcLayout.Blocks(g.M),
            planeIn * inBlocks * NchwcLayout.Block, g.W, clamp, post, false, quads, p0, p1 - p0, yPlane);
        work.Invoke(0, units * groups);
    }

    /// <summary>
    /// Each tap's input offset from a pixel's origin (tap = (input block,) kernel row, kernel column), in an input whose
    /// rows are <paramref name="rowLength"/> pixels and block planes <paramref name="planeIn"/> pixels (a padded copy
    /// has no negative offsets).
    /// </summary>
    private static void FillTapOffsets(in NchwcGeometry g, bool blockedInput, int rowLength, long planeIn, nint* tapOffsets, int taps)
    {
        int k = g.KH * g.KW;
        for (int t = 0; t < taps; t++)
        {
            int ib = blockedInput ? t / k : 0, kk = t % k;
            int kh = kk / g.KW, kw = kk % g.KW;
            long spatial = ((long)kh * g.DilationH * rowLength) + ((long)kw * g.DilationW);
            tapOffsets[t] = (nint)(blockedInput ? (((ib * planeIn) + spatial) * NchwcLayout.Block) : spatial);
        }
    }

    /// <summary>Whether tiles cover four output blocks (where four exist) and how many pair or quad groups the output has.</summary>
    private static (bool Quads, int Groups) TileGroups(in NchwcGeometry g, bool useQuads)
    {
        int pairs = (g.M + 31) / 32;
        bool quads = useQuads && NchwcLayout.Blocks(g.M) >= 4;
        return (quads, quads ? (pairs + 1) / 2 : pairs);
    }

    private static bool PairMajor(in NchwcGeometry g, NchwcWeights weights, long imageIn) =>
        AllowPairMajor && g.N > 1 && weights.Length > imageIn;

    /// <summary>Output rows of (image, input block) planes: the pixels a strided 1x1 reads, gathered into a compact plane.</summary>
    private readonly struct SubsampleWork(float* x, float* dst, NchwcGeometry g) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            const int B = NchwcLayout.Block;
            for (int item = start; item < end; item++)
            {
                int oh = item % g.OH, plane = item / g.OH;
                float* src = x + ((((long)plane * g.H) + ((long)oh * g.StrideH)) * g.W * B);
                float* d = dst + ((((long)plane * g.OH) + oh) * g.OW * B);
                nint step = (nint)g.StrideW * B;
                for (int ow = 0; ow < g.OW; ow++)
                {
                    System.Runtime.Intrinsics.Vector512.Store(System.Runtime.Intrinsics.Vector512.Load(src + (ow * step)), d + (ow * B));
                }
            }
        }
    }

    /// <summary>One input plane (a block of 16 channels, or one NCHW channel) copied into the zero-padded scratch.</summary>
    private readonly struct PadWork(float* x, float* dst, NchwcGeometry g, int hp, int wp, int lanes) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            long inPlane = (long)g.H * g.W * lanes, outPlane = (long)hp * wp * lanes;
            for (int plane = start; plane < end; plane++)
            {
                g.CopyPadded(x + (plane * inPlane), dst + (plane * outPlane), hp, wp, lanes);
            }
        }
    }

    private readonly struct ConvWork(
        float* x, float* y, float* residual, NchwcWeights weights, nint* taps, int tapCount, NchwcGeometry g, bool blockedInput,
        bool flat, int units, int groups, int outBlocks, int yBlocks, long imageIn, int rowLength, GemmClamp clamp, GemmPostOp? post, bool pairMajor, bool quads,
        int flatFirst = 0, int flatCount = -1, long yPlane = -1) : IRangeWork
    {
        /// <summary>Output pixels per output block plane of Y (the output plane, or a band buffer's).</summary>
        private long YPlane => yPlane >= 0 ? yPlane : g.PlaneOut;

        /// <summary>The flat pixels the units cover: [flatFirst, flatFirst + FlatCount) of each image's plane.</summary>
        private long FlatCount => flatCount >= 0 ? flatCount : g.PlaneOut;

        public void Invoke(int start, int end)
        {
            float* packed = weights.Packed;
            float* bias = weights.Bias;
            {
                long planeOut = g.PlaneOut;
                bool prefetchFlat = PrefetchFlat && blockedInput && (long)g.N * imageIn * sizeof(float) >= FlatPrefetchMinBytes;
                nint blockStride = (nint)(YPlane * NchwcLayout.Block);
                int lanes = blockedInput ? NchwcLayout.Block : 1;
                nint icStride = blockedInput ? 1 : (nint)((long)(imageIn / g.C));
                for (int item = start; item < end; item++)
                {
                    int unit = item % units;
                    int rest = item / units;
                    int group = pairMajor ? rest / g.N : rest % groups;
                    int img = pairMajor ? rest % g.N : rest / groups;
                    if (!quads)
                    {
                        Pair(group, Math.Min(2, outBlocks - (2 * group)), img, unit, planeOut, prefetchFlat, blockStride, lanes, icStride);
                        continue;
                    }

                    // A group is two pairs: one four-block tile when all four blocks exist, else its pairs one by one.
                    int groupBlocks = Math.Min(4, outBlocks - (4 * group));
                    if (groupBlocks == 4)
                    {
                        Pair(2 * group, 4, img, unit, planeOut, prefetchFlat, blockStride, lanes, icStride);
                    }
                    else
                    {
                        Pair(2 * group, Math.Min(2, groupBlocks), img, unit, planeOut, prefetchFlat, blockStride, lanes, icStride);
                        if (groupBlocks > 2)
                        {
                            Pair((2 * group) + 1, groupBlocks - 2, img, unit, planeOut, prefetchFlat, blockStride, lanes, icStride);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// One unit (output row or flat run) of one image for <paramref name="blocks"/> output blocks from pair
        /// <paramref name="pair"/> on (4: that pair and the next as four-block tiles).
        /// </summary>
        private void Pair(int pair, int blocks, int img, int unit, long planeOut, bool prefetchFlat, nint blockStride, int lanes, nint icStride)
        {
            float* w = weights.Packed + ((long)pair * weights.PairStride);
            float* xImg = x + (img * imageIn);
            long yOffset = ((((long)img * yBlocks) + (2 * pair)) * YPlane * NchwcLayout.Block);
            float* yImg = y + yOffset;
            float* zImg = residual == null ? null : residual + yOffset;
            var e0 = new NchwcEpilogue(weights.Bias + (pair * 32), null, clamp, post);
            if (flat)
            {
                // Balanced runs (a 49-pixel plane is 25 + 24, not 48 + 1); Y holds the pixels from flatFirst on.
                int p0 = flatFirst + (int)(unit * FlatCount / units), p1 = flatFirst + (int)((unit + 1) * FlatCount / units);
                long yo = (long)(p0 - flatFirst) * NchwcLayout.Block;
                Row(xImg + ((long)p0 * lanes), lanes, p1 - p0, w, yImg + yo, zImg == null ? null : zImg + yo, blockStride, blocks, icStride, e0,
                    prefetchFlat ? (int)(planeOut - p1) : 0);
            }
            else
            {
                int oh = unit;
                float* xRow = xImg + ((long)oh * g.StrideH * rowLength * lanes);
                long o = (long)oh * g.OW * NchwcLayout.Block;
                Row(xRow, lanes * g.StrideW, g.OW, w, yImg + o, zImg == null ? null : zImg + o, blockStride, blocks, icStride, e0);
            }
        }

        /// <summary>A run of <paramref name="count"/> output pixels, input pixels <paramref name="pixelStride"/> floats apart, in balanced tiles of at most 12 (6 for four blocks).</summary>
        /// <remarks>
        /// <paramref name="ahead"/> &gt; 0 (flat 1x1 runs, blocked input): before each tile the next tile's input pixels
        /// (up to <paramref name="ahead"/> past the run) are prefetched in every input block, and its residual. A tile reads 12 pixels from
        /// each of C/16 planes a plane apart; at batch 8 those planes come from DRAM, as many streams as blocks, more than
        /// the hardware prefetcher follows.
        /// </remarks>
        private void Row(float* xRow, int pixelStride, int count, float* w, float* yRow, float* zRow, nint blockStride, int blocks, nint icStride, in NchwcEpilogue e0, int ahead = 0)
        {
            int maxTile = blocks > 2 ? MaxTile / 2 : MaxTile;
            int tiles = (count + maxTile - 1) / maxTile;
            int done = 0;
            bool prefetchResidual = zRow != null && PrefetchResidual;
            for (int t = 0; t < tiles; t++)
            {
                int size = ((count - done) + (tiles - t) - 1) / (tiles - t);
                if (ahead > 0 && Sse.IsSupported)
                {
                    int next = Math.Min(maxTile, count - done - size + ahead);
                    float* first = xRow + ((long)(done + size) * pixelStride);
                    for (int tap = 0; tap < tapCount; tap++)
                    {
                        float* p = first + taps[tap];
                        for (int q = 0; q < next; q++)
                        {
                            Sse.Prefetch0(p + ((long)q * pixelStride));
                        }
                    }

                    if (prefetchResidual)
                    {
                        float* z = zRow + ((long)(done + size) * NchwcLayout.Block);
                        for (int q = 0; q < next; q++)
                        {
                            Sse.Prefetch0(z + ((long)q * NchwcLayout.Block));
                            for (int j = 1; j < blocks; j++)
                            {
                                Sse.Prefetch0(z + (j * blockStride) + ((long)q * NchwcLayout.Block));
                            }
                        }
                    }
                }

                var e = new NchwcEpilogue(e0.Bias, zRow == null ? null : zRow + ((long)done * NchwcLayout.Block), e0.Clamp, e0.Post);
                Tile(size, pixelStride, xRow + ((long)done * pixelStride), w, yRow + ((long)done * NchwcLayout.Block), blockStride, blocks, icStride, e);
                done += size;
            }
        }

        private void Tile(int size, int pixelStride, float* xp, float* w, float* yp, nint blockStride, int blocks, nint icStride, in NchwcEpilogue e)
        {
            switch (pixelStride)
            {
                case 16:
                    Tile<PixelStride16>(size, xp, w, yp, blockStride, blocks, icStride, e);
                    break;
                case 32:
                    Tile<PixelStride32>(size, xp, w, yp, blockStride, blocks, icStride, e);
                    break;
                case 1:
                    Tile<PixelStride1>(size, xp, w, yp, blockStride, blocks, icStride, e);
                    break;
                case 2:
                    Tile<PixelStride2>(size, xp, w, yp, blockStride, blocks, icStride, e);
                    break;
                default:
                    throw new InvalidOperationException($"NCHWc convolution: pixel stride {pixelStride} has no kernel");
            }
        }

        private void Tile<TS>(int size, float* xp, float* w, float* yp, nint blockStride, int blocks, nint icStride, in NchwcEpilogue e)
            where TS : struct, IPixelStride
        {
            if (blocks > 2)
            {
                Quad<TS>(size, xp, w, yp, blockStride, icStride, e);
            }
            else if (blocks > 1)
            {
                Tile<TS, TwoBlocks>(size, xp, w, yp, blockStride, icStride, e);
            }
            else
            {
                Tile<TS, OneBlock>(size, xp, w, yp, blockStride, icStride, e);
            }
        }

        /// <summary>A four-block tile of 1..6 pixels: the pair at <paramref name="w"/> and the next one, PairStride further.</summary>
        private void Quad<TS>(int size, float* xp, float* w, float* yp, nint blockStride, nint icStride, in NchwcEpilogue e)
            where TS : struct, IPixelStride
        {
            int ic = weights.IcCount;
            nint q = (nint)weights.PairStride;
            switch (size)
            {
                case 6: NchwcConvMicroKernel.Run<GemmRows6, TS, FourBlocks>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc, q); break;
                case 5: NchwcConvMicroKernel.Run<GemmRows5, TS, FourBlocks>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc, q); break;
                case 4: NchwcConvMicroKernel.Run<GemmRows4, TS, FourBlocks>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc, q); break;
                case 3: NchwcConvMicroKernel.Run<GemmRows3, TS, FourBlocks>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc, q); break;
                case 2: NchwcConvMicroKernel.Run<GemmRows2, TS, FourBlocks>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc, q); break;
                case 1: NchwcConvMicroKernel.Run<GemmRows1, TS, FourBlocks>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc, q); break;
                default: throw new InvalidOperationException($"NCHWc convolution: a four-block tile of {size} pixels (at most 6)");
            }
        }

        private void Tile<TS, TB>(int size, float* xp, float* w, float* yp, nint blockStride, nint icStride, in NchwcEpilogue e)
            where TS : struct, IPixelStride
            where TB : struct, IBlockCount
        {
            int ic = weights.IcCount;
            switch (size)
            {
                case 12: NchwcConvMicroKernel.Run<GemmRows12, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 11: NchwcConvMicroKernel.Run<GemmRows11, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 10: NchwcConvMicroKernel.Run<GemmRows10, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 9: NchwcConvMicroKernel.Run<GemmRows9, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 8: NchwcConvMicroKernel.Run<GemmRows8, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 7: NchwcConvMicroKernel.Run<GemmRows7, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 6: NchwcConvMicroKernel.Run<GemmRows6, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 5: NchwcConvMicroKernel.Run<GemmRows5, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 4: NchwcConvMicroKernel.Run<GemmRows4, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 3: NchwcConvMicroKernel.Run<GemmRows3, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                case 2: NchwcConvMicroKernel.Run<GemmRows2, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
                default: NchwcConvMicroKernel.Run<GemmRows1, TS, TB>(xp, taps, tapCount, ic, icStride, w, yp, blockStride, e, WeightPrefetchFloats, weights.TailTaps, weights.TailIc); break;
            }
        }
    }
}
