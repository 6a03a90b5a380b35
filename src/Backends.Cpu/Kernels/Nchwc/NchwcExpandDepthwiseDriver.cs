using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>
/// A flat 1x1 "expand" convolution (C → E channels) and the depthwise convolution that reads it, computed band of rows
/// by band of rows so the expanded tensor never leaves the core: per thread, the expand writes the input rows a band of
/// depthwise output rows needs into a buffer of a few hundred KB (E/16 block planes of a few rows, in L2), and the
/// depthwise reads them from there. The rows two consecutive bands share (K - stride of them) are moved to the top of
/// the buffer instead of being computed again; only the first band of each thread's chunk of rows computes them anew.
/// Unfused, MobileNetV2's 16 → 96 expand at 112x112 writes 4.8 MB that the stride-2 depthwise then reads back from L3.
/// </summary>
internal static unsafe class NchwcExpandDepthwiseDriver
{
    /// <summary>Bytes of band buffer a thread aims for (whole rows of all E channels; at least K rows).</summary>
    internal static int BandBytes { get; set; } = 384 * 1024;

    /// <summary>Output rows per work chunk at least (each chunk's first band computes its overlap rows again).</summary>
    internal static int MinChunkRows { get; set; } = 8;

    /// <summary>
    /// Bytes of the expanded tensor (all images) from which the bands pay; below it the two convolutions run apart.
    /// In-process A/B of sessions with and without the fusion, 2 threads, blocks of alternating runs: with 1 MB,
    /// mobilenet_v2 b8 0.89-0.94 of the time, efficientnet_b0 b8 0.95-0.99, b1 0.99 and 1.00; with 4 MB, b8 0.91-0.92
    /// and 0.96-0.97, b1 0.98 and 1.00; with 16 MB, b8 0.91-0.93 and 0.97-0.98.
    /// </summary>
    internal static long MinExpandedBytes { get; set; } = 4L << 20;

    /// <summary>
    /// Whether <see cref="Run"/> beats the two convolutions apart for depthwise geometry <paramref name="gd"/>: the
    /// expanded tensor outgrows a core's L2 and there are enough output rows for every thread to get whole chunks.
    /// </summary>
    public static bool Pays(in NchwcGeometry gd, int threads) =>
        (long)gd.N * NchwcLayout.Blocks(gd.C) * NchwcLayout.Block * gd.PlaneIn * sizeof(float) >= MinExpandedBytes
        && (long)gd.N * gd.OH >= 2L * Math.Max(1, threads) * Math.Max(MinChunkRows, BandRows(gd));

    /// <summary>
    /// Whether every output row and column of the depthwise reads at least one input row and column (pads under the
    /// kernel size, stride at most the kernel size): a band then always holds an input row for each of its rows.
    /// </summary>
    public static bool WindowsReadInput(in NchwcGeometry gd) =>
        gd.PadTop < gd.KH && gd.PadLeft < gd.KW && gd.StrideH <= gd.KH && gd.StrideW <= gd.KW
        && ((gd.OH - 1) * gd.StrideH) - gd.PadTop < gd.H && ((gd.OW - 1) * gd.StrideW) - gd.PadLeft < gd.W;

    /// <summary>Output rows per band for geometry <paramref name="gd"/> (the depthwise's) under <see cref="BandBytes"/>.</summary>
    public static int BandRows(in NchwcGeometry gd)
    {
        long rowFloats = (long)NchwcLayout.Blocks(gd.C) * NchwcLayout.Block * gd.W;
        int capRows = (int)Math.Max(gd.KH, BandBytes / (rowFloats * sizeof(float)));
        return Math.Max(1, ((capRows - gd.KH) / gd.StrideH) + 1);
    }

    /// <summary>Input rows a band of <paramref name="rows"/> output rows reads at most.</summary>
    private static int CapRows(in NchwcGeometry gd, int rows) => ((rows - 1) * gd.StrideH) + gd.KH;

    /// <summary>
    /// Y [N, E/16, OH, OW, 16] = depthwise(expand(X)). <paramref name="ge"/> is the expand's geometry (flat 1x1, M = E),
    /// <paramref name="gd"/> the depthwise's (C = M = E, sliding tiles: <see cref="NchwcDepthwise.HasSlidingTiles"/>).
    /// <paramref name="bandRows"/> &gt; 0 sets the output rows per band (tests; else <see cref="BandRows"/>).
    /// </summary>
    public static void Run(
        in NchwcGeometry ge, NchwcWeights expand, GemmClamp expandClamp, GemmPostOp? expandPost,
        in NchwcGeometry gd, NchwcWeights depthwise, GemmClamp clamp, GemmPostOp? post, float* x, float* y, int threads, int bandRows = 0)
    {
        if (!ge.IsFlat || ge.M != gd.C || gd.C != gd.M || ge.H != gd.H || ge.W != gd.W || ge.N != gd.N || !NchwcDepthwise.HasSlidingTiles(gd)
            || !WindowsReadInput(gd))
        {
            throw new ArgumentException($"expand {ge} and depthwise {gd} do not chain as a flat 1x1 and a 3- or 5-wide depthwise whose rows each read the input");
        }

        bandRows = bandRows > 0 ? bandRows : BandRows(gd);
        int minChunk = Math.Max(Math.Max(MinChunkRows, bandRows), 1);
        ParallelFor.Range(gd.N * gd.OH, threads, minChunk, new Work(ge, expand, expandClamp, expandPost, gd, depthwise, clamp, post, x, y, bandRows));
    }

    /// <summary><see cref="Run"/> over spans (X and Y blocked, whole batch; length-checked).</summary>
    public static void Run(
        in NchwcGeometry ge, NchwcWeights expand, GemmClamp expandClamp, GemmPostOp? expandPost,
        in NchwcGeometry gd, NchwcWeights depthwise, GemmClamp clamp, GemmPostOp? post, ReadOnlySpan<float> x, Span<float> y, int threads, int bandRows = 0)
    {
        long xLength = (long)ge.N * NchwcLayout.Blocks(ge.C) * NchwcLayout.Block * ge.PlaneIn;
        long yLength = (long)gd.N * NchwcLayout.Blocks(gd.M) * NchwcLayout.Block * gd.PlaneOut;
        if (x.Length < xLength || y.Length < yLength)
        {
            throw new ArgumentException($"X of {x.Length} floats or Y of {y.Length} does not hold the {xLength} / {yLength} the geometries need");
        }

        fixed (float* px = x)
        fixed (float* py = y)
        {
            Run(ge, expand, expandClamp, expandPost, gd, depthwise, clamp, post, px, py, threads, bandRows);
        }
    }

    private readonly struct Work(
        NchwcGeometry ge, NchwcWeights expand, GemmClamp expandClamp, GemmPostOp? expandPost,
        NchwcGeometry gd, NchwcWeights depthwise, GemmClamp clamp, GemmPostOp? post, float* x, float* y, int bandRows) : IRangeWork
    {
        private const int B = NchwcLayout.Block;

        public void Invoke(int start, int end)
        {
            int eBlocks = NchwcLayout.Blocks(gd.C);
            int capRows = CapRows(gd, bandRows);
            long bandPlane = (long)capRows * gd.W;
            float[] scratch = ThreadScratch.Floats(checked((int)((eBlocks * bandPlane * B) + B)));
            long xImage = (long)NchwcLayout.Blocks(ge.C) * B * ge.PlaneIn;
            long yImage = (long)eBlocks * B * gd.PlaneOut;
            fixed (float* unaligned = scratch)
            {
                // 64-byte aligned: the kernels load and store whole vectors.
                float* band = (float*)(((nint)unaligned + 63) & ~(nint)63);
                for (int item = start; item < end;)
                {
                    int img = item / gd.OH, o0 = item % gd.OH;
                    int o1 = Math.Min(gd.OH, o0 + (end - item));
                    Image(band, bandPlane, x + (img * xImage), y + (img * yImage), o0, o1);
                    item += o1 - o0;
                }
            }
        }

        /// <summary>Output rows [o0, o1) of one image, band by band; the band buffer holds input rows [held0, held1).</summary>
        private void Image(float* band, long bandPlane, float* xImg, float* yImg, int o0, int o1)
        {
            int eBlocks = NchwcLayout.Blocks(gd.C);
            int held0 = 0, held1 = 0;
            for (int b0 = o0; b0 < o1; b0 += bandRows)
            {
                int b1 = Math.Min(o1, b0 + bandRows);
                int lo = Math.Max(0, (b0 * gd.StrideH) - gd.PadTop);
                int hi = Math.Min(gd.H, ((b1 - 1) * gd.StrideH) - gd.PadTop + gd.KH);

                // Rows the previous band computed and this one reads move to the top of each block plane.
                int first = lo;
                if (held1 > lo && held0 <= lo)
                {
                    int keep = held1 - lo;
                    if (lo > held0)
                    {
                        long bytes = (long)keep * gd.W * B * sizeof(float);
                        for (int cb = 0; cb < eBlocks; cb++)
                        {
                            float* plane = band + (cb * bandPlane * B);
                            Buffer.MemoryCopy(plane + ((long)(lo - held0) * gd.W * B), plane, bytes, bytes);
                        }
                    }

                    first = held1;
                }

                if (hi > first)
                {
                    NchwcConvDriver.RunFlatRange(
                        ge, expand, xImg, first * ge.W, hi * ge.W, band + ((long)(first - lo) * gd.W * B), bandPlane, expandClamp, expandPost);
                }

                held0 = lo;
                held1 = hi;

                // The band's depthwise rows: input row lo is the buffer's row 0, rows outside [lo, hi) are the input's padding.
                var local = gd with { N = 1, H = hi - lo, OH = b1 - b0, PadTop = gd.PadTop + lo - (b0 * gd.StrideH) };
                NchwcDepthwise.RunBand(local, depthwise, band, bandPlane, yImg + ((long)b0 * gd.OW * B), gd.PlaneOut, clamp, post);
            }
        }
    }
}
