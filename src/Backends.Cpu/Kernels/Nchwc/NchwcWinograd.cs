using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>
/// A dense 3x3 convolution's weights transformed for Winograd F(2x2, 3x3): U = G g G^T (4x4 from 3x3) per (output,
/// input channel), packed per transform position xi (0..15) like a 1x1 convolution of <see cref="NchwcWeights"/>:
/// [xi][pair of output blocks][input block][16 input channels][32 output channels], zero beyond M and C.
/// </summary>
internal sealed unsafe class NchwcWinogradWeights
{
    private readonly float[] _packed;
    private readonly float[] _bias;

    public NchwcWinogradWeights(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int m, int c)
    {
        const int B = NchwcLayout.Block;
        InBlocks = NchwcLayout.Blocks(c);
        OutBlocks = NchwcLayout.Blocks(m);
        Pairs = (m + (2 * B) - 1) / (2 * B);
        var packed = new float[16L * Pairs * PairStride];
        Span<double> u = stackalloc double[16];
        for (int oc = 0; oc < m; oc++)
        {
            int pair = oc / (2 * B), j = oc % (2 * B);
            for (int ch = 0; ch < c; ch++)
            {
                Transform(w.Slice(((oc * c) + ch) * 9, 9), u);
                int ib = ch / B, ic = ch % B;
                for (int xi = 0; xi < 16; xi++)
                {
                    packed[(xi * XiStride) + ((long)pair * PairStride) + (((ib * B) + ic) * 2 * B) + j] = (float)u[xi];
                }
            }
        }

        var b = new float[OutBlocks * B];
        bias.CopyTo(b);

        // Pinned, 64-byte aligned like NchwcWeights: every weight load is one cache line.
        (_packed, nint p, _) = NchwcWeights.Aligned(packed);
        Packed = (float*)p;
        (_bias, nint q, _) = NchwcWeights.Aligned(b);
        Bias = (float*)q;
    }

    /// <summary>The packed U (layout above), 64-byte aligned, valid while this object lives.</summary>
    public float* Packed { get; }

    /// <summary>B zero-padded to whole output blocks, 64-byte aligned.</summary>
    public float* Bias { get; }

    public int InBlocks { get; }

    public int OutBlocks { get; }

    public int Pairs { get; }

    /// <summary>Floats per (xi, output pair) panel: input blocks x 16 channels x 32.</summary>
    public int PairStride => InBlocks * NchwcLayout.Block * 2 * NchwcLayout.Block;

    public long XiStride => (long)Pairs * PairStride;

    /// <summary>u = G g G^T, G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]], g row-major 3x3, u row-major 4x4.</summary>
    private static void Transform(ReadOnlySpan<float> g, Span<double> u)
    {
        Span<double> t = stackalloc double[12];
        for (int col = 0; col < 3; col++)
        {
            double g0 = g[col], g1 = g[3 + col], g2 = g[6 + col];
            t[col] = g0;
            t[3 + col] = 0.5 * (g0 + g1 + g2);
            t[6 + col] = 0.5 * (g0 - g1 + g2);
            t[9 + col] = g2;
        }

        for (int row = 0; row < 4; row++)
        {
            double h0 = t[row * 3], h1 = t[(row * 3) + 1], h2 = t[(row * 3) + 2];
            u[row * 4] = h0;
            u[(row * 4) + 1] = 0.5 * (h0 + h1 + h2);
            u[(row * 4) + 2] = 0.5 * (h0 - h1 + h2);
            u[(row * 4) + 3] = h2;
        }
    }
}

/// <summary>
/// Dense NCHWc 3x3 convolution, stride 1, dilation 1, by Winograd F(2x2, 3x3) (Lavin and Gray 2016): each 2x2 output
/// tile is Y = A^T [U ⊙ V] A with V = B^T d B of its 4x4 input tile d, summed over input channels, so the products are
/// 16 GEMMs (one per position xi) of 2.25x fewer multiply-adds than the direct convolution.
/// B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], A^T = [[1, 1, 1, 0], [0, 1, -1, -1]].
/// The output tiles of all images form one list, cut into blocks of T tiles sized so a block's transformed input
/// V [xi][input block][T][16] and products M [xi][output block][T][16] stay in L2. Per block (a work item, one per-thread
/// scratch): the input transform reads the 4x4 tiles straight from X (zero outside the plane: any pads), the GEMMs run
/// <see cref="NchwcConvMicroKernel"/> with the input blocks as taps and the tiles as pixels 16 floats apart, and the
/// output transform adds bias and residual, clamps, stores the outputs inside OH x OW and runs the post-op over each
/// tile row's contiguous output segment.
/// </summary>
internal static unsafe class NchwcWinograd
{
    private const int MaxTile = 12;

    /// <summary>Floats of V + M per block (about 768 KB of a 1 MB L2); settable for benchmarks.</summary>
    internal static int BlockBudget { get; set; } = 192 * 1024;

    /// <summary>Most floats of V + M per block for the weights' sake (8 MB per thread: 128 tiles at 512 + 512 channels).</summary>
    private const int MaxBlockFloats = 2 * 1024 * 1024;

    private static readonly float[] s_zeroBias = new float[2 * NchwcLayout.Block];

    /// <summary>
    /// Whether NchwcConv takes this path: null (AUTOGLM_WINOGRAD unset) where it measured faster than the direct
    /// convolution (<see cref="Wins"/>), true (AUTOGLM_WINOGRAD=1) for every 3x3 stride-1 convolution, false
    /// (AUTOGLM_WINOGRAD=0) never. Settable for tests and benchmarks.
    /// </summary>
    internal static bool? Enabled { get; set; } = Environment.GetEnvironmentVariable("AUTOGLM_WINOGRAD") switch
    {
        "0" => false,
        "1" => true,
        _ => null,
    };

    /// <summary>A blocked-input dense convolution this path computes and should compute on <paramref name="threads"/> threads (see <see cref="Enabled"/>).</summary>
    public static bool Applies(in NchwcGeometry g, int threads) => Fits(g) && (Enabled ?? Wins(g, threads));

    /// <summary>
    /// Where Winograd measured faster than the direct kernel (docs/cpu-kernels.md): every ResNet-50 shape (56x56x64 to
    /// 7x7x512, batch 1 and 8, one and two threads: 1.1-2x), as long as (1) the tiles do not waste the saving on outputs
    /// beyond the plane: 16 multiply-adds per tile and channel pair at most 7/8 of the direct kernel's 9 per output (a
    /// 1x1 output plane, 0.57x, stays direct) and (2) each thread gets at least 4 tiles: every thread reads all 16 C M
    /// transformed weights while the direct kernel splits its 9 C M over the threads (256 channels at 2 threads: a 3x3
    /// plane, 2 tiles per thread, 0.76x; 7x7, 8 per thread, 1.26x).
    /// </summary>
    public static bool Wins(in NchwcGeometry g, int threads)
    {
        long tiles = Tiles(g);
        return 8L * 16 * tiles <= 7L * 9 * g.N * g.OH * g.OW && tiles >= 4L * Math.Max(1, threads);
    }

    /// <summary>3x3, stride 1, dilation 1 (any pads).</summary>
    public static bool Fits(in NchwcGeometry g) =>
        g.KH == 3 && g.KW == 3 && g.StrideH == 1 && g.StrideW == 1 && g.DilationH == 1 && g.DilationW == 1;

    /// <summary>
    /// Tiles per block: enough that V + M fill about <see cref="BlockBudget"/> floats, and at least C M / (2 (C + M))
    /// so that re-reading the transformed weights (16 C M floats per block) costs no more than a block's V and M traffic
    /// (16 (C + M) floats per tile, written and read): deep layers take large blocks out of L3 rather than streaming
    /// their weights once per small block, up to <see cref="MaxBlockFloats"/> (the per-thread scratch is kept). At most an
    /// even share of the tiles per thread; balanced.
    /// </summary>
    public static int TilesPerBlock(in NchwcGeometry g, int inBlocks, int outBlocks, int threads)
    {
        int tiles = Tiles(g);
        int c = inBlocks * NchwcLayout.Block, m = outBlocks * NchwcLayout.Block;
        int byWeights = (int)((long)c * m / (2 * (c + m)));
        int cap = Math.Max(MaxTile, Math.Max(BlockBudget / (16 * (c + m)), Math.Min(byWeights, MaxBlockFloats / (16 * (c + m)))));
        threads = Math.Max(1, Math.Min(threads, tiles));
        cap = Math.Max(1, Math.Min(cap, (tiles + threads - 1) / threads));

        // A whole number of blocks per thread (9 blocks on 2 threads would leave one idle for a ninth of the time).
        int blocks = (tiles + cap - 1) / cap;
        blocks = (blocks + threads - 1) / threads * threads;
        return (tiles + blocks - 1) / blocks;
    }

    /// <summary>
    /// Y (and the residual) hold <paramref name="yImageBlocks"/> blocks per image (0: the output's own block count); a
    /// branch of a wider output starts at its first block.
    /// </summary>
    public static void Run(
        in NchwcGeometry g, NchwcWinogradWeights weights, float* x, float* y, float* residual, GemmClamp clamp, GemmPostOp? post, int threads, int yImageBlocks = 0)
    {
        int tiles = Tiles(g);
        int cap = TilesPerBlock(g, weights.InBlocks, weights.OutBlocks, threads);
        int blocks = (tiles + cap - 1) / cap;
        int yBlocks = yImageBlocks > 0 ? yImageBlocks : weights.OutBlocks;
        ParallelFor.Range(blocks, threads, 1, new Work(x, y, residual, weights, g, cap, clamp, post, yBlocks));
    }

    /// <summary><see cref="Run(in NchwcGeometry, NchwcWinogradWeights, float*, float*, float*, GemmClamp, GemmPostOp?, int)"/> over spans (an empty residual: none).</summary>
    public static void Run(
        in NchwcGeometry g, NchwcWinogradWeights weights, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> residual, GemmClamp clamp, GemmPostOp? post, int threads)
    {
        long xFloats = (long)g.N * weights.InBlocks * g.PlaneIn * NchwcLayout.Block, yFloats = (long)g.N * weights.OutBlocks * g.PlaneOut * NchwcLayout.Block;
        if (x.Length < xFloats || y.Length < yFloats || (!residual.IsEmpty && residual.Length < yFloats))
        {
            throw new ArgumentException($"Winograd convolution: X {x.Length}, Y {y.Length}, residual {residual.Length} floats, geometry needs {xFloats} and {yFloats}");
        }

        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pz = residual)
        {
            Run(g, weights, px, py, residual.IsEmpty ? null : pz, clamp, post, threads);
        }
    }

    private static int Tiles(in NchwcGeometry g) => g.N * ((g.OH + 1) / 2) * ((g.OW + 1) / 2);

    private readonly struct Work(
        float* x, float* y, float* residual, NchwcWinogradWeights weights, NchwcGeometry g, int cap, GemmClamp clamp, GemmPostOp? post, int yBlocks) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            int inBlocks = weights.InBlocks, outBlocks = weights.OutBlocks;
            int tiles = Tiles(g);
            long vFloats = 16L * Slab(inBlocks);
            float[] scratch = ThreadScratch.Floats(checked((int)(vFloats + (16L * Slab(outBlocks)) + 16)));
            nint* taps = stackalloc nint[inBlocks];
            for (int ib = 0; ib < inBlocks; ib++)
            {
                taps[ib] = (nint)ib * cap * NchwcLayout.Block;
            }

            fixed (float* unaligned = scratch)
            fixed (float* zero = s_zeroBias)
            {
                // 64-byte aligned: the transforms load and store whole vectors, and the thread's scratch array sits
                // wherever the GC put it (8-byte aligned), so unaligned every vector access split two cache lines for
                // the life of the process. squeezenet1_1 b1, alternating fresh processes, 100 runs each: before 1.90,
                // 1.48, 1.54, 1.80, 1.52, 1.53 ms, aligned 1.50, 1.45, 1.52, 1.60, 1.51, 1.51 ms.
                float* v = (float*)(((nint)unaligned + 63) & ~(nint)63);
                float* packed = weights.Packed, bias = weights.Bias;
                float* m = v + vFloats;
                for (int block = start; block < end; block++)
                {
                    int t0 = block * cap;
                    int count = Math.Min(cap, tiles - t0);
                    InputTransform(t0, count, v);
                    Products(count, v, m, packed, taps, new NchwcEpilogue(zero, null, default, null));
                    OutputTransform(t0, count, m, bias);
                }
            }
        }

        /// <summary>
        /// Floats of one position's slab of V or M ([blocks][T][16]), rounded up to an odd number of 64-byte lines: the
        /// transforms touch the 16 slabs at once, and an even line stride that is a multiple of 4 KB (T = 96 with 4 blocks)
        /// would put them all in one L1 set.
        /// </summary>
        private nint Slab(int blocks) => (((nint)blocks * cap) | 1) * NchwcLayout.Block;

        private void InputTransform(int t0, int count, float* v)
        {
            int tw = (g.OW + 1) / 2, th = (g.OH + 1) / 2;
            long plane = (long)g.H * g.W * NchwcLayout.Block;
            nint xs = Slab(weights.InBlocks);
            float* d = stackalloc float[16 * NchwcLayout.Block];
            for (int i = 0; i < count; i++)
            {
                int tile = t0 + i;
                int img = tile / (th * tw), rest = tile % (th * tw);
                int r0 = (2 * (rest / tw)) - g.PadTop, c0 = (2 * (rest % tw)) - g.PadLeft;
                bool inside = r0 >= 0 && c0 >= 0 && r0 + 4 <= g.H && c0 + 4 <= g.W;
                for (int ib = 0; ib < weights.InBlocks; ib++)
                {
                    float* src = x + ((((long)img * weights.InBlocks) + ib) * plane);
                    float* o = v + ((((long)ib * cap) + i) * NchwcLayout.Block);
                    if (inside)
                    {
                        float* p = src + ((((long)r0 * g.W) + c0) * NchwcLayout.Block);
                        nint rs = (nint)g.W * NchwcLayout.Block;
                        TransformTile(p, p + rs, p + (2 * rs), p + (3 * rs), o, xs);
                    }
                    else
                    {
                        // Border tile: gather it with zeros outside the plane.
                        for (int a = 0; a < 4; a++)
                        {
                            for (int b = 0; b < 4; b++)
                            {
                                int r = r0 + a, c = c0 + b;
                                var value = (uint)r < (uint)g.H && (uint)c < (uint)g.W
                                    ? Vector512.Load(src + ((((long)r * g.W) + c) * NchwcLayout.Block))
                                    : Vector512<float>.Zero;
                                value.Store(d + (((a * 4) + b) * NchwcLayout.Block));
                            }
                        }

                        TransformTile(d, d + 64, d + 128, d + 192, o, xs);
                    }
                }
            }
        }

        /// <summary>V = B^T d B of one 4x4 tile (rows of 4 pixels of 16 channels); V[xi] goes to o + xi * xs.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void TransformTile(float* row0, float* row1, float* row2, float* row3, float* o, nint xs)
        {
            for (int b = 0; b < 4; b++)
            {
                nint off = b * NchwcLayout.Block;
                var d0 = Vector512.Load(row0 + off);
                var d1 = Vector512.Load(row1 + off);
                var d2 = Vector512.Load(row2 + off);
                var d3 = Vector512.Load(row3 + off);

                // Column b of B^T d: rows (d0 - d2, d1 + d2, d2 - d1, d1 - d3), kept in V's slots of row a, column b;
                // the row transform below reads them back.
                (d0 - d2).Store(o + (b * xs));
                (d1 + d2).Store(o + ((4 + b) * xs));
                (d2 - d1).Store(o + ((8 + b) * xs));
                (d1 - d3).Store(o + ((12 + b) * xs));
            }

            for (int a = 0; a < 4; a++)
            {
                float* r = o + (4 * a * xs);
                var e0 = Vector512.Load(r);
                var e1 = Vector512.Load(r + xs);
                var e2 = Vector512.Load(r + (2 * xs));
                var e3 = Vector512.Load(r + (3 * xs));
                (e0 - e2).Store(r);
                (e1 + e2).Store(r + xs);
                (e2 - e1).Store(r + (2 * xs));
                (e1 - e3).Store(r + (3 * xs));
            }
        }

        /// <summary>M[xi][output block][tile] = sum over input channels of V[xi][.][tile] U[xi]: per xi and pair, balanced tiles of up to 12.</summary>
        private void Products(int count, float* v, float* m, float* packed, nint* taps, in NchwcEpilogue e)
        {
            int inBlocks = weights.InBlocks, outBlocks = weights.OutBlocks;
            nint blockStride = (nint)cap * NchwcLayout.Block;
            int parts = (count + MaxTile - 1) / MaxTile;
            for (int xi = 0; xi < 16; xi++)
            {
                float* vx = v + ((long)xi * Slab(inBlocks));
                float* mx = m + ((long)xi * Slab(outBlocks));
                for (int pair = 0; pair < weights.Pairs; pair++)
                {
                    float* w = packed + (xi * weights.XiStride) + ((long)pair * weights.PairStride);
                    int blocks = Math.Min(2, outBlocks - (2 * pair));
                    float* mp = mx + (2 * pair * blockStride);
                    int done = 0;
                    for (int part = 0; part < parts; part++)
                    {
                        int size = ((count - done) + (parts - part) - 1) / (parts - part);
                        if (blocks > 1)
                        {
                            Tile<TwoBlocks>(size, vx + (done * NchwcLayout.Block), taps, inBlocks, w, mp + (done * NchwcLayout.Block), blockStride, e);
                        }
                        else
                        {
                            Tile<OneBlock>(size, vx + (done * NchwcLayout.Block), taps, inBlocks, w, mp + (done * NchwcLayout.Block), blockStride, e);
                        }

                        done += size;
                    }
                }
            }
        }

        private static void Tile<TB>(int size, float* xp, nint* taps, int tapCount, float* w, float* yp, nint blockStride, in NchwcEpilogue e)
            where TB : struct, IBlockCount
        {
            const int ic = NchwcLayout.Block;
            switch (size)
            {
                case 12: NchwcConvMicroKernel.Run<GemmRows12, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 11: NchwcConvMicroKernel.Run<GemmRows11, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 10: NchwcConvMicroKernel.Run<GemmRows10, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 9: NchwcConvMicroKernel.Run<GemmRows9, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 8: NchwcConvMicroKernel.Run<GemmRows8, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 7: NchwcConvMicroKernel.Run<GemmRows7, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 6: NchwcConvMicroKernel.Run<GemmRows6, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 5: NchwcConvMicroKernel.Run<GemmRows5, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 4: NchwcConvMicroKernel.Run<GemmRows4, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 3: NchwcConvMicroKernel.Run<GemmRows3, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                case 2: NchwcConvMicroKernel.Run<GemmRows2, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
                default: NchwcConvMicroKernel.Run<GemmRows1, PixelStride16, TB>(xp, taps, tapCount, ic, 1, w, yp, blockStride, e, NchwcConvDriver.WeightPrefetchFloats); break;
            }
        }

        /// <summary>Y = A^T m A + bias (+ residual, clamp) per tile and output block, then the post-op per tile row segment.</summary>
        private void OutputTransform(int t0, int count, float* m, float* bias)
        {
            int tw = (g.OW + 1) / 2, th = (g.OH + 1) / 2;
            int outBlocks = weights.OutBlocks;
            long planeOut = (long)g.OH * g.OW * NchwcLayout.Block;
            nint xs = Slab(outBlocks);
            var lo = Vector512.Create(clamp.Lo);
            var hi = Vector512.Create(clamp.Hi);
            for (int i = 0; i < count; i++)
            {
                int tile = t0 + i;
                int img = tile / (th * tw), rest = tile % (th * tw);
                int oy = 2 * (rest / tw), ox = 2 * (rest % tw);
                bool right = ox + 1 < g.OW, below = oy + 1 < g.OH;
                for (int ob = 0; ob < outBlocks; ob++)
                {
                    float* s = m + ((((long)ob * cap) + i) * NchwcLayout.Block);

                    // A^T m: rows t0 = m0 + m1 + m2, t1 = m1 - m2 - m3 (mi = row i of the 4x4 m, 4 vectors each).
                    var a0 = Vector512.Load(s) + Vector512.Load(s + (4 * xs)) + Vector512.Load(s + (8 * xs));
                    var a1 = Vector512.Load(s + xs) + Vector512.Load(s + (5 * xs)) + Vector512.Load(s + (9 * xs));
                    var a2 = Vector512.Load(s + (2 * xs)) + Vector512.Load(s + (6 * xs)) + Vector512.Load(s + (10 * xs));
                    var a3 = Vector512.Load(s + (3 * xs)) + Vector512.Load(s + (7 * xs)) + Vector512.Load(s + (11 * xs));
                    var b0 = Vector512.Load(s + (4 * xs)) - Vector512.Load(s + (8 * xs)) - Vector512.Load(s + (12 * xs));
                    var b1 = Vector512.Load(s + (5 * xs)) - Vector512.Load(s + (9 * xs)) - Vector512.Load(s + (13 * xs));
                    var b2 = Vector512.Load(s + (6 * xs)) - Vector512.Load(s + (10 * xs)) - Vector512.Load(s + (14 * xs));
                    var b3 = Vector512.Load(s + (7 * xs)) - Vector512.Load(s + (11 * xs)) - Vector512.Load(s + (15 * xs));
                    var bv = Vector512.Load(bias + (ob * NchwcLayout.Block));
                    float* yo = y + ((((long)img * yBlocks) + ob) * planeOut) + ((((long)oy * g.OW) + ox) * NchwcLayout.Block);
                    float* zo = residual == null ? null : residual + (yo - y);
                    nint row = (nint)g.OW * NchwcLayout.Block;
                    Store(a0 + a1 + a2 + bv, yo, zo, 0, lo, hi);
                    if (right)
                    {
                        Store(a1 - a2 - a3 + bv, yo, zo, NchwcLayout.Block, lo, hi);
                    }

                    if (below)
                    {
                        Store(b0 + b1 + b2 + bv, yo, zo, row, lo, hi);
                        if (right)
                        {
                            Store(b1 - b2 - b3 + bv, yo, zo, row + NchwcLayout.Block, lo, hi);
                        }
                    }
                }
            }

            if (post is null)
            {
                return;
            }

            // Post-op over each run of tiles of one tile row: output rows oy and oy + 1, columns 2 tx0 .. min(2 tx1, OW).
            for (int i = 0; i < count;)
            {
                int tile = t0 + i;
                int img = tile / (th * tw), rest = tile % (th * tw);
                int ty = rest / tw, tx0 = rest % tw;
                int run = Math.Min(count - i, tw - tx0);
                int c0 = 2 * tx0, c1 = Math.Min(2 * (tx0 + run), g.OW);
                for (int ob = 0; ob < outBlocks; ob++)
                {
                    float* plane = y + ((((long)img * yBlocks) + ob) * planeOut);
                    for (int r = 2 * ty; r < Math.Min((2 * ty) + 2, g.OH); r++)
                    {
                        post.Apply(new Span<float>(plane + ((((long)r * g.OW) + c0) * NchwcLayout.Block), (c1 - c0) * NchwcLayout.Block));
                    }
                }

                i += run;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Store(Vector512<float> value, float* yo, float* zo, nint offset, Vector512<float> lo, Vector512<float> hi)
        {
            if (zo != null)
            {
                value += Vector512.Load(zo + offset);
            }

            if (clamp.Enabled)
            {
                value = GemmVector512.Clamp(value, lo, hi);
            }

            value.Store(yo + offset);
        }
    }
}
