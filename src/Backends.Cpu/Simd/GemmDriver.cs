using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>One (batched) SGEMM call after validation: raw operand pointers, optional packed operands and the epilogue.</summary>
internal unsafe struct GemmProblem
{
    public bool TransA;
    public bool TransB;
    public int M;
    public int N;
    public int K;
    public float Alpha;
    public float Beta;
    public float* A;
    public nint Lda;
    public float* B;
    public nint Ldb;
    public float* C;
    public nint Ldc;

    /// <summary>Packed op(A) / op(B) in the current layout (null: pack per task).</summary>
    public float* PackedA;
    public float* PackedB;
    public float* RowBias;
    public float* ColBias;
    public int Batches;

    /// <summary>Element offsets of each batch's A, B and C.</summary>
    public long* AOffsets;
    public long* BOffsets;
    public long CStride;

    /// <summary>Residual added after the product, C's layout (rows Ldc apart, batches CStride apart); null when absent.</summary>
    public float* Residual;

    /// <summary>Clamp of the final values (after bias and residual).</summary>
    public GemmClamp Clamp;

    /// <summary>An activation applied to each finished row segment of C while it is in cache (after the clamp); null when none.</summary>
    public GemmPostOp? Post;

    /// <summary>
    /// Full-width panels of a row-major B that is not pre-packed are read in place (rows Ldb apart) instead of being
    /// packed; only edge panels are packed. Pays when M is small relative to K x N (convolutions: few output channels
    /// over many pixels), where packing B costs about as much as the product.
    /// </summary>
    public bool DirectB;

    /// <summary>Whether anything beyond alpha/beta/bias is applied after the product.</summary>
    public readonly bool HasFinalOps => Residual != null || Clamp.Enabled || Post != null;
}

/// <summary>
/// An element-wise function the GEMM applies to finished segments of C rows (an activation fused into the epilogue).
/// Called concurrently from several threads on disjoint segments.
/// </summary>
internal abstract class GemmPostOp
{
    public abstract void Apply(Span<float> values);
}

/// <summary>
/// The BLIS-style loop nest around <see cref="GemmMicroKernel"/>. C is cut into MC x NC tiles (per batch) that
/// are the parallel items; a tile walks K in KC blocks, packs its A block (MC x KC, kept in L2) and B block (KC x NC)
/// into per-thread scratch unless they come pre-packed (a row-major A is read in place instead, see
/// <see cref="DirectA"/>), then runs the micro-kernel over NR-column panels (outer, the
/// B panel stays in L1) and MR-row panels (inner). A few rows times a row-major B that is not pre-packed go to
/// <see cref="GemmSmallM"/> instead (packing B would cost as much as the product).
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Multiply-adds per thread (about 5 us) below which splitting the product is not worth waking a worker.</summary>
    public const long MinWorkPerThread = 1L << 19;

    /// <summary>Lets benchmarks compare tiles with and without the prefetch of the next packed B panel piece.</summary>
    internal static bool PrefetchNextPiece { get; set; } = true;

    /// <summary>Loop order of single-K-block tiles with B read in place (see TileJob.RowsOuter); benchmarks compare both.</summary>
    internal static bool RowsOuterForDirectB { get; set; } = true;

    /// <summary>
    /// Lets benchmarks compare reading a row-major A in place (<see cref="GemmDirectA"/>, as MLAS does) with packing it per
    /// tile and K block. Packing cost BERT-base about 4% of its GEMM time at batch 8 (a tile of 256 rows packs each
    /// 256 x 256 block of A once for 768 columns, and Q, K and V each pack the same A); in place, alternating runs in one
    /// process: bert_base b1 (2 threads) 61.1 -> 60.1 and 59.0 -> 58.2 ms, b8 (1 thread) 483.6 -> 478.3 and 474.0 -> 469.1 ms,
    /// its Attention op 24.2 -> 22.7 ms (the per-head products read Q and the scores in place).
    /// </summary>
    internal static bool DirectA { get; set; } = true;

    /// <summary>
    /// Widest tile (columns of C) when A is read in place. A tile rewrites its MC x NC block of C once per K block, and
    /// at BERT's FFN1 shape (1024 x 768 x 3072, 2 threads: 342-row tiles) a 768-column block (1 MB) no longer stays in
    /// L2 next to the A rows; 384 columns (525 KB) do. Narrower tiles read A more often, which costs nothing extra when A
    /// is read in place but repeats the packing when it is packed (FFN2, K = 3072: 3.6-8% slower at 384 or 512 columns),
    /// hence only here. SGEMM with B pre-packed, 2 threads, alternating calls in one process (a noisy hour): 1024 x 768 x
    /// 3072 14.07 -> 13.49, 16.08 -> 15.40, 14.74 -> 14.25 and 15.92 -> 15.18 ms at 384 columns (14.94 -> 14.46 and
    /// 14.76 -> 14.45 at 512); 1024 x 768 x 768, 1024 x 3072 x 768 and 128 x 768 x 3072 within 1%. In bert_base b8 the
    /// FusedMatMul total did not separate from the noise (334.3 vs 333.4 ms per run).
    /// </summary>
    private const int DirectATileColumns = 384;

    /// <summary>Lets benchmarks compare the narrower tiles of a read-in-place A (<see cref="DirectATileColumns"/>) with NC.</summary>
    internal static bool NarrowTilesForDirectA { get; set; } = true;

    [ThreadStatic]
    private static float[]? s_threadScratch;

    /// <summary>
    /// Whether A's rows can be read in place: not when their stride is a multiple of 2 KB (512 floats), where the
    /// rows of a micro-panel fall into the same few L1 sets and a tile's rows into a sixteenth of the L2 sets.
    /// </summary>
    internal static bool DirectAFits(nint lda) => ((lda * sizeof(float)) & 2047) != 0;

    public static void Run<TV, TOps>(in GemmProblem p, GemmLayout layout, int threads)
        where TV : struct
        where TOps : struct, IGemmVector<TV>
    {
        if (p.PackedA == null && p.PackedB == null && !p.TransB && p.M <= GemmSmallM.MaxRows)
        {
            GemmSmallM.Run<TV, TOps>(p, threads);
            if (p.HasFinalOps)
            {
                ApplyFinalOps(p);
            }

            return;
        }

        long work = (long)p.M * p.N * p.K * p.Batches;
        threads = (int)Math.Clamp(work / MinWorkPerThread, 1, Math.Max(1, threads));
        bool directA = p.PackedA == null && p.A != null && !p.TransA && DirectA && DirectAFits(p.Lda);
        int nc = directA && NarrowTilesForDirectA ? Math.Min(layout.Nc, DirectATileColumns) : layout.Nc;
        int tilesM = Split(p.M, layout.Mc, layout.Mr).Count;
        int tilesN = Split(p.N, nc, layout.Nr).Count;
        if (threads > 1 && p.Batches * tilesM * tilesN < 8 * threads)
        {
            // Few tiles: re-cut the longer side so the tile count is a multiple of the thread count.
            int total = p.Batches * tilesM * tilesN;
            bool cutN = (p.N / layout.Nr) >= (p.M / layout.Mr);
            int maxTiles = cutN ? DivUp(p.N, layout.Nr) : DivUp(p.M, layout.Mr);
            int tiles = cutN ? tilesN : tilesM;
            while (total % threads != 0 && tiles < maxTiles)
            {
                tiles++;
                total = p.Batches * tiles * (cutN ? tilesM : tilesN);
            }

            if (cutN)
            {
                tilesN = tiles;
            }
            else
            {
                tilesM = tiles;
            }
        }

        var job = new TileJob<TV, TOps>(p, layout, tilesM, tilesN, directA);
        ParallelFor.Run(p.Batches * tilesM * tilesN, threads, job);
    }

    /// <summary>Residual, clamp and post-op over the whole of C, after a path that does not fuse them (few rows).</summary>
    internal static void ApplyFinalOps(in GemmProblem p)
    {
        for (int t = 0; t < p.Batches; t++)
        {
            for (int i = 0; i < p.M; i++)
            {
                long offset = (t * p.CStride) + (i * p.Ldc);
                ApplyFinalOps(p, p.C + offset, p.Residual == null ? null : p.Residual + offset, p.N);
            }
        }
    }

    /// <summary>Residual, clamp and post-op of one row segment.</summary>
    internal static void ApplyFinalOps(in GemmProblem p, float* c, float* residual, int count)
    {
        var row = new Span<float>(c, count);
        if (residual != null)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(row, new ReadOnlySpan<float>(residual, count), row);
        }

        if (p.Clamp.Enabled)
        {
            System.Numerics.Tensors.TensorPrimitives.Max(row, p.Clamp.Lo, row);
            System.Numerics.Tensors.TensorPrimitives.Min(row, p.Clamp.Hi, row);
        }

        p.Post?.Apply(row);
    }

    /// <summary>Block size (a multiple of <paramref name="unit"/>, at most about <paramref name="max"/>) and block count covering <paramref name="length"/>.</summary>
    private static (int Block, int Count) Split(int length, int max, int unit)
    {
        int count = DivUp(length, Math.Max(unit, max));
        int block = DivUp(DivUp(length, count), unit) * unit;
        return (block, DivUp(length, block));
    }

    private static int DivUp(int a, int b) => (a + b - 1) / b;

    /// <summary>This thread's scratch: room for an MC x KC block of A and a KC x NC block of B, 64-byte aligned.</summary>
    private static float* Scratch(long floats)
    {
        var buffer = s_threadScratch;
        if (buffer is null || buffer.Length < floats + 16)
        {
            buffer = GemmPacking.AllocatePinned(floats);
            s_threadScratch = buffer;
        }

        return GemmPacking.Align(buffer);
    }

    /// <param name="directA">A is read in place (<see cref="GemmDirectA"/>), decided once per call in <see cref="Run"/>.</param>
    private readonly struct TileJob<TV, TOps>(GemmProblem p, GemmLayout layout, int tilesM, int tilesN, bool directA) : IParallelWork
        where TV : struct
        where TOps : struct, IGemmVector<TV>
    {
        /// <summary>
        /// One K block with B read in place: row panels outer, so each panel of C rows is written as long contiguous
        /// runs (a few store streams) while the B columns, read from the row-major B in place, stay in L2; the partial
        /// tail panel of B is packed once.
        /// </summary>
        private void RowsOuter(float* b, float* bBuf, float* ap, bool directA, float* c, int i0, int i1, int j0, int j1, int kc, GemmEpilogue epilogue, bool post)
        {
            int mr = layout.Mr, nr = layout.Nr;
            int fullEnd = j0 + ((j1 - j0) / nr * nr);
            if (fullEnd < j1)
            {
                GemmPacking.PackB(b, p.Ldb, false, 0, kc, fullEnd, j1 - fullEnd, bBuf, nr);
            }

            for (int i = i0; i < i1; i += mr)
            {
                int rowsHere = Math.Min(mr, i1 - i);
                float* a = ap + ((long)(i - i0) * (directA ? p.Lda : kc));
                for (int j = j0; j < j1; j += nr)
                {
                    int w = Math.Min(nr, j1 - j);
                    float* ct = c + (i * p.Ldc) + j;
                    Micro(directA, rowsHere, kc, a, w == nr ? b + j : bBuf, w == nr ? p.Ldb : nr, ct, w, epilogue.At(i, j));

                    if (post)
                    {
                        for (int r = 0; r < rowsHere; r++)
                        {
                            p.Post!.Apply(new Span<float>(ct + (r * p.Ldc), w));
                        }
                    }
                }
            }
        }

        /// <summary>One micro-tile; A is a packed panel or, <paramref name="directA"/>, op(A)'s first row in place.</summary>
        private void Micro(bool directA, int rows, int kc, float* a, float* b, nint bStride, float* c, int cols, GemmEpilogue e)
        {
            if (directA)
            {
                GemmMicroKernel.Dispatch<TV, TOps, GemmDirectA>(rows, kc, a, p.Lda, b, bStride, c, p.Ldc, cols, e);
            }
            else
            {
                GemmMicroKernel.Dispatch<TV, TOps, GemmPackedA>(rows, kc, a, 0, b, bStride, c, p.Ldc, cols, e);
            }
        }

        public void Invoke(int index)
        {
            int perBatch = tilesM * tilesN;
            int batch = index / perBatch;
            int t = index - (batch * perBatch);
            // Balanced panel ranges: tile ti of tilesM covers micro-panels [ti * P / tilesM, (ti + 1) * P / tilesM), so
            // tiles differ by at most one panel (a plain mc-sized cut leaves a short last tile and an idle thread).
            int ti = t / tilesN, tj = t % tilesN;
            int panelsM = DivUp(p.M, layout.Mr), panelsN = DivUp(p.N, layout.Nr);
            int i0 = (int)((long)ti * panelsM / tilesM) * layout.Mr;
            int i1 = Math.Min(p.M, (int)((long)(ti + 1) * panelsM / tilesM) * layout.Mr);
            int j0 = (int)((long)tj * panelsN / tilesN) * layout.Nr;
            int j1 = Math.Min(p.N, (int)((long)(tj + 1) * panelsN / tilesN) * layout.Nr);
            if (i0 < i1 && j0 < j1)
            {
                RunTile(batch, i0, i1, j0, j1);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunTile(int batch, int i0, int i1, int j0, int j1)
        {
            int mr = layout.Mr, nr = layout.Nr, kcMax = layout.Kc;
            int rows = i1 - i0, cols = j1 - j0;
            int paddedRows = DivUp(rows, mr) * mr;
            int paddedCols = DivUp(cols, nr) * nr;
            float* a = p.A == null ? null : p.A + p.AOffsets[batch];
            float* b = p.B == null ? null : p.B + p.BOffsets[batch];
            float* c = p.C + (batch * p.CStride);
            float* residual = p.Residual == null ? null : p.Residual + (batch * p.CStride);
            bool direct = p.DirectB && p.PackedB == null && !p.TransB;
            bool packA = p.PackedA == null && !directA;
            float* scratch = Scratch(((long)(packA ? paddedRows : 0) * kcMax) + ((long)(p.PackedB == null ? paddedCols : 0) * kcMax));
            float* aBuf = scratch;
            float* bBuf = scratch + (packA ? (long)paddedRows * kcMax : 0);
            int paddedM = DivUp(p.M, mr) * mr;
            for (int p0 = 0; p0 < p.K; p0 += kcMax)
            {
                int kc = Math.Min(kcMax, p.K - p0);
                bool first = p0 == 0;
                float* ap;
                if (p.PackedA != null)
                {
                    ap = p.PackedA + ((long)p0 * paddedM) + ((long)i0 * kc);
                }
                else if (directA)
                {
                    ap = a + ((long)i0 * p.Lda) + p0;
                }
                else
                {
                    GemmPacking.PackA(a, p.Lda, p.TransA, i0, rows, p0, kc, aBuf, mr);
                    ap = aBuf;
                }

                float* bp = null;
                if (p.PackedB != null)
                {
                    // Panel-major (PackedGemmMatrix): panel j / NR's rows from p0, NR floats each.
                    bp = p.PackedB + ((long)j0 * p.K) + ((long)p0 * nr);
                }
                else if (!direct)
                {
                    GemmPacking.PackB(b, p.Ldb, p.TransB, p0, kc, j0, cols, bBuf, nr);
                    bp = bBuf;
                }

                bool last = p0 + kc >= p.K;
                var epilogue = new GemmEpilogue(
                    p.Alpha, first ? p.Beta : 1f, first ? p.RowBias : null, first ? p.ColBias : null,
                    last ? residual : null, p.Ldc, last ? p.Clamp : default);
                bool post = last && p.Post != null;
                if (direct && first && last && RowsOuterForDirectB)
                {
                    RowsOuter(b, bBuf, ap, directA, c, i0, i1, j0, j1, kc, epilogue, post);
                    continue;
                }

                for (int j = j0; j < j1; j += nr)
                {
                    int w = Math.Min(nr, j1 - j);
                    float* panelB;
                    nint bStride = nr;
                    if (bp != null)
                    {
                        panelB = bp + ((long)(j - j0) * (p.PackedB != null ? p.K : kc));
                    }
                    else if (w == nr)
                    {
                        // In place: row p of the panel is B[p0 + p, j .. j + NR).
                        panelB = b + (p0 * p.Ldb) + j;
                        bStride = p.Ldb;
                    }
                    else
                    {
                        GemmPacking.PackB(b, p.Ldb, false, p0, kc, j, w, bBuf, nr);
                        panelB = bBuf;
                    }

                    // Panel-major packed B: the next panel's KC x NR piece is K x NR floats further on, a new stream
                    // for the hardware prefetcher; pull it in a slice per micro-panel of A while this piece is used.
                    float* nextPiece = p.PackedB != null && j + nr < j1 && PrefetchNextPiece && Sse.IsSupported ? panelB + ((long)nr * p.K) : null;
                    int pieceLines = kc * nr / 16;
                    int linesPerRow = Math.Max(1, DivUp(pieceLines, DivUp(i1 - i0, mr)));
                    int prefetched = 0;
                    for (int i = i0; i < i1; i += mr)
                    {
                        if (nextPiece != null)
                        {
                            for (int l = 0; l < linesPerRow && prefetched < pieceLines; l++, prefetched++)
                            {
                                Sse.Prefetch0(nextPiece + (prefetched * 16));
                            }
                        }

                        int rowsHere = Math.Min(mr, i1 - i);
                        float* ct = c + (i * p.Ldc) + j;
                        Micro(directA, rowsHere, kc, ap + ((long)(i - i0) * (directA ? p.Lda : kc)), panelB, bStride, ct, w, epilogue.At(i, j));
                        if (post)
                        {
                            for (int r = 0; r < rowsHere; r++)
                            {
                                p.Post!.Apply(new Span<float>(ct + (r * p.Ldc), w));
                            }
                        }
                    }
                }
            }
        }
    }
}
