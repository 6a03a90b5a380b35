using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// GEMV-like path for a few rows (decoding, M = 1..<see cref="MaxRows"/>) with a row-major B that is not pre-packed:
/// packing B would cost as much as the product, so B is streamed row by row instead. For a chunk of columns of C,
/// C[r, j] = beta * C[r, j] + rowBias[r] + colBias[j] first, then for k in steps of 4:
/// C[r, j] += alpha * (A[r, k] B[k, j] + A[r, k+1] B[k+1, j] + A[r, k+2] B[k+2, j] + A[r, k+3] B[k+3, j]),
/// so each B row is read once, contiguously, and C (a few KB per chunk) stays in L1. Chunks run in parallel.
/// </summary>
internal static unsafe class GemmSmallM
{
    public const int MaxRows = 4;

    /// <summary>Columns per parallel chunk (C rows of the chunk stay in L1 while B streams past).</summary>
    private const int ChunkColumns = 512;

    public static void Run<TV, TOps>(in GemmProblem p, int threads)
        where TV : struct
        where TOps : struct, IGemmVector<TV>
    {
        int chunks = (p.N + ChunkColumns - 1) / ChunkColumns;
        long work = (long)p.M * p.N * p.K * p.Batches;
        threads = (int)Math.Clamp(work / GemmDriver.MinWorkPerThread, 1, Math.Max(1, threads));
        ParallelFor.Run(chunks * p.Batches, threads, new Job<TV, TOps>(p, chunks));
    }

    private readonly struct Job<TV, TOps>(GemmProblem p, int chunks) : IParallelWork
        where TV : struct
        where TOps : struct, IGemmVector<TV>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int index)
        {
            int batch = index / chunks;
            int j0 = index % chunks * ChunkColumns;
            int j1 = Math.Min(j0 + ChunkColumns, p.N);
            float* a = p.A + p.AOffsets[batch];
            float* b = p.B + p.BOffsets[batch];
            float* c = p.C + (batch * p.CStride);
            for (int r = 0; r < p.M; r++)
            {
                Prologue(c + (r * p.Ldc), j0, j1, r);
            }

            // alpha * A, row-major [M, K], so the k loop reads it with unit stride.
            float* scaledA = stackalloc float[MaxRows * 4];
            int k = 0;
            for (; k + 4 <= p.K; k += 4)
            {
                for (int r = 0; r < p.M; r++)
                {
                    for (int q = 0; q < 4; q++)
                    {
                        scaledA[(r * 4) + q] = p.Alpha * ElementA(a, r, k + q);
                    }
                }

                Accumulate4(scaledA, b + (k * p.Ldb), c, j0, j1);
            }

            for (; k < p.K; k++)
            {
                for (int r = 0; r < p.M; r++)
                {
                    float av = p.Alpha * ElementA(a, r, k);
                    float* brow = b + (k * p.Ldb);
                    float* crow = c + (r * p.Ldc);
                    int j = j0;
                    TV va = TOps.Broadcast(av);
                    for (; j + TOps.Width <= j1; j += TOps.Width)
                    {
                        TOps.Store(crow + j, TOps.MultiplyAdd(va, TOps.Load(brow + j), TOps.Load(crow + j)));
                    }

                    for (; j < j1; j++)
                    {
                        crow[j] += av * brow[j];
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private float ElementA(float* a, int r, int k) => p.TransA ? a[(k * p.Lda) + r] : a[(r * p.Lda) + k];

        private void Prologue(float* crow, int j0, int j1, int r)
        {
            float rowBias = p.RowBias == null ? 0f : p.RowBias[r];
            for (int j = j0; j < j1; j++)
            {
                float v = (p.Beta == 0 ? 0f : p.Beta * crow[j]) + rowBias;
                crow[j] = p.ColBias == null ? v : v + p.ColBias[j];
            }
        }

        /// <summary>C[r, j0..j1] += sum over q &lt; 4 of sa[r * 4 + q] * B[q, j] for every row r (B rows ldb apart).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Accumulate4(float* sa, float* b, float* c, int j0, int j1)
        {
            nint ldb = p.Ldb;
            for (int r = 0; r < p.M; r++)
            {
                float* crow = c + (r * p.Ldc);
                TV a0 = TOps.Broadcast(sa[(r * 4) + 0]);
                TV a1 = TOps.Broadcast(sa[(r * 4) + 1]);
                TV a2 = TOps.Broadcast(sa[(r * 4) + 2]);
                TV a3 = TOps.Broadcast(sa[(r * 4) + 3]);
                int j = j0;
                for (; j + TOps.Width <= j1; j += TOps.Width)
                {
                    float* bp = b + j;
                    TV acc = TOps.MultiplyAdd(a0, TOps.Load(bp), TOps.Load(crow + j));
                    TV acc2 = TOps.Multiply(a1, TOps.Load(bp + ldb));
                    acc = TOps.MultiplyAdd(a2, TOps.Load(bp + (2 * ldb)), acc);
                    acc2 = TOps.MultiplyAdd(a3, TOps.Load(bp + (3 * ldb)), acc2);
                    TOps.Store(crow + j, TOps.Add(acc, acc2));
                }

                for (; j < j1; j++)
                {
                    crow[j] += (sa[r * 4] * b[j]) + (sa[(r * 4) + 1] * b[ldb + j]) + (sa[(r * 4) + 2] * b[(2 * ldb) + j]) + (sa[(r * 4) + 3] * b[(3 * ldb) + j]);
                }
            }
        }
    }

    /// <summary>
    /// C [M, N] = A [M, K] x B (+ colBias[j]) for M &lt;= <see cref="MaxRows"/> with B pre-packed in the current layout
    /// (a weight at decoding time): memory bound, so it streams each NR-column panel of B once, k-block after k-block,
    /// with the M x NR sums in registers, and cuts the panels into many small chunks so a late worker costs little.
    /// Returns false (nothing written) when the packed matrix does not fit or there is no vector ISA; the caller then
    /// takes the general SGEMM. C is overwritten (beta 0); A is row-major with row stride lda. <paramref name="clamp"/>
    /// and then <paramref name="post"/> run on each finished panel segment of C (the GEMM's final ops).
    /// </summary>
    public static bool TryRunPacked(
        int m, int n, int k, ReadOnlySpan<float> a, int lda, PackedGemmMatrix packedB, Span<float> c, int ldc, ReadOnlySpan<float> colBias, int threads,
        GemmClamp clamp = default, GemmPostOp? post = null)
    {
        var layout = Gemm.Layout;
        if (m < 1 || m > MaxRows || n < 1 || k < 1 || !packedB.Fits(layout, isA: false, n, k) || layout.Isa == GemmIsa.Scalar || !UnaryDriver.AllowVectors)
        {
            return false;
        }

        Gemm.CheckOperand(a, lda, true, m, k, "A");
        if (ldc < n || ((long)(m - 1) * ldc) + n > c.Length || (!colBias.IsEmpty && colBias.Length < n))
        {
            throw new ArgumentException($"GEMV output of {c.Length} elements (ldc {ldc}) or bias of {colBias.Length} does not cover [{m}, {n}]");
        }

        // Memory bound: a second thread pays off once B is about a megabyte.
        threads = (long)n * k >= PackedParallelFloats ? Math.Max(1, threads) : 1;
        int panels = (n + layout.Nr - 1) / layout.Nr;
        int perChunk = Math.Max(1, panels / (8 * threads));
        int chunks = (panels + perChunk - 1) / perChunk;
        fixed (float* pa = a)
        fixed (float* pc = c)
        fixed (float* pbias = colBias)
        {
            var p = new PackedGemv(m, n, k, pa, lda, packedB.Data, panels * layout.Nr, pc, ldc, colBias.IsEmpty ? null : pbias, perChunk, clamp, post);
            switch (layout.Isa)
            {
                case GemmIsa.Avx512: ParallelFor.Run(chunks, threads, new PackedJob<Vector512<float>, GemmVector512>(p)); break;
                case GemmIsa.Avx2: ParallelFor.Run(chunks, threads, new PackedJob<Vector256<float>, GemmVector256>(p)); break;
                default: ParallelFor.Run(chunks, threads, new PackedJob<Vector128<float>, GemmVector128>(p)); break;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the one-row GEMV sums two adjacent panels at once (two contiguous streams in flight): mobilenet_v2's classifier in the model 0.085-0.115 -> 0.071-0.093 ms on 2 threads (in-process
    /// alternation); GPT-2's decode MatMuls unchanged (7.2 ms either way).
    /// </summary>
    internal static bool PairedPanels { get; set; } = true;

    /// <summary>Elements of B (1 MB) from which the packed GEMV uses more than one thread.</summary>
    private const long PackedParallelFloats = 1L << 18;

    /// <summary>One packed GEMV: A rows, the panel-major packed B (paddedN columns, K deep), C, bias and chunking.</summary>
    private readonly struct PackedGemv(
        int m, int n, int k, float* a, nint lda, float* b, int paddedN, float* c, nint ldc, float* bias, int panelsPerChunk, GemmClamp clamp, GemmPostOp? post)
    {
        public readonly GemmClamp Clamp = clamp;
        public readonly GemmPostOp? Post = post;
        public readonly int M = m;
        public readonly int N = n;
        public readonly int K = k;
        public readonly float* A = a;
        public readonly nint Lda = lda;
        public readonly float* B = b;
        public readonly int PaddedN = paddedN;
        public readonly float* C = c;
        public readonly nint Ldc = ldc;
        public readonly float* Bias = bias;
        public readonly int PanelsPerChunk = panelsPerChunk;
    }

    /// <summary>Chunk i: panels [i * PanelsPerChunk, ...) of B, each summed over all k-blocks into registers, then stored.</summary>
    private readonly struct PackedJob<TV, TOps>(PackedGemv g) : IParallelWork
        where TV : struct
        where TOps : struct, IGemmVector<TV>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int index)
        {
            int w = TOps.Width, nr = 2 * w;
            int p0 = index * g.PanelsPerChunk;
            int p1 = Math.Min(p0 + g.PanelsPerChunk, g.PaddedN / nr);
            int panel = p0;
            if (g.M == 1 && PairedPanels)
            {
                for (; panel + 2 <= p1; panel += 2)
                {
                    Row1Pair(panel, nr);
                }
            }

            for (; panel < p1; panel++)
            {
                if (g.M == 1)
                {
                    Row1(panel, nr);
                }
                else
                {
                    Rows4(panel, nr);
                }
            }

            if (g.Clamp.Enabled || g.Post is not null)
            {
                int j0 = p0 * nr, j1 = Math.Min(p1 * nr, g.N);
                for (int r = 0; r < g.M && j0 < j1; r++)
                {
                    var seg = new Span<float>(g.C + (r * g.Ldc) + j0, j1 - j0);
                    if (g.Clamp.Enabled)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Max(seg, g.Clamp.Lo, seg);
                        System.Numerics.Tensors.TensorPrimitives.Min(seg, g.Clamp.Hi, seg);
                    }

                    g.Post?.Apply(seg);
                }
            }
        }

        /// <summary>One row: two accumulator pairs over alternating k hide the FMA latency.</summary>
        private void Row1(int panel, int nr)
        {
            int w = TOps.Width;
            TV c0 = default, c1 = default, d0 = default, d1 = default;

            // Panel-major packing: the panel's K rows of NR floats are one contiguous run.
            float* b = g.B + ((long)panel * nr * g.K);
            float* a = g.A;
            int kc = g.K;
            int q = 0;
            for (; q + 2 <= kc; q += 2)
            {
                TV a0 = TOps.Broadcast(a[q]);
                TV a1 = TOps.Broadcast(a[q + 1]);
                float* bq = b + (q * nr);
                c0 = TOps.MultiplyAdd(a0, TOps.Load(bq), c0);
                c1 = TOps.MultiplyAdd(a0, TOps.Load(bq + w), c1);
                d0 = TOps.MultiplyAdd(a1, TOps.Load(bq + nr), d0);
                d1 = TOps.MultiplyAdd(a1, TOps.Load(bq + nr + w), d1);
            }

            if (q < kc)
            {
                TV a0 = TOps.Broadcast(a[q]);
                c0 = TOps.MultiplyAdd(a0, TOps.Load(b + (q * nr)), c0);
                c1 = TOps.MultiplyAdd(a0, TOps.Load(b + (q * nr) + w), c1);
            }

            Store(0, panel * nr, TOps.Add(c0, d0), TOps.Add(c1, d1));
        }

        /// <summary>
        /// One row, two adjacent panels at once: two contiguous streams in flight. No software prefetch: the hardware
        /// follows both streams, and prefetching the next pair's rows (a pair ahead, 2 x 4 K floats on) made mobilenet_v2's
        /// classifier slower (1280 x 1000, 2 threads, alternating runs: 60-110 against 83-127 us) and GPT-2's decode
        /// step 3-4% slower; prefetching 16 rows ahead in the current streams measured neutral.
        /// </summary>
        private void Row1Pair(int panel, int nr)
        {
            int w = TOps.Width;
            TV c0 = default, c1 = default, e0 = default, e1 = default;
            float* b = g.B + ((long)panel * nr * g.K);
            nint second = (nint)nr * g.K;
            float* a = g.A;
            for (int q = 0; q < g.K; q++)
            {
                TV av = TOps.Broadcast(a[q]);
                float* bq = b + (q * nr);
                c0 = TOps.MultiplyAdd(av, TOps.Load(bq), c0);
                c1 = TOps.MultiplyAdd(av, TOps.Load(bq + w), c1);
                e0 = TOps.MultiplyAdd(av, TOps.Load(bq + second), e0);
                e1 = TOps.MultiplyAdd(av, TOps.Load(bq + second + w), e1);
            }

            StorePair(0, panel * nr, c0, c1, (panel + 1) * nr, e0, e1);
        }

        /// <summary>Two to four rows share each loaded B vector (rows beyond M are skipped by predictable branches).</summary>
        private void Rows4(int panel, int nr)
        {
            int w = TOps.Width, m = g.M;
            nint lda = g.Lda;
            TV c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
            float* b = g.B + ((long)panel * nr * g.K);
            float* a = g.A;
            for (int q = 0; q < g.K; q++)
            {
                float* bq = b + (q * nr);
                TV b0 = TOps.Load(bq);
                TV b1 = TOps.Load(bq + w);
                TV av = TOps.Broadcast(a[q]);
                c00 = TOps.MultiplyAdd(av, b0, c00);
                c01 = TOps.MultiplyAdd(av, b1, c01);
                av = TOps.Broadcast(a[lda + q]);
                c10 = TOps.MultiplyAdd(av, b0, c10);
                c11 = TOps.MultiplyAdd(av, b1, c11);
                if (m > 2)
                {
                    av = TOps.Broadcast(a[(2 * lda) + q]);
                    c20 = TOps.MultiplyAdd(av, b0, c20);
                    c21 = TOps.MultiplyAdd(av, b1, c21);
                }

                if (m > 3)
                {
                    av = TOps.Broadcast(a[(3 * lda) + q]);
                    c30 = TOps.MultiplyAdd(av, b0, c30);
                    c31 = TOps.MultiplyAdd(av, b1, c31);
                }
            }

            StoreRows(panel * nr, c00, c01, c10, c11, c20, c21, c30, c31);
        }

        /// <summary>
        /// Two stores in one call. The k loops end in stores that are calls (<see cref="Store"/> is not inlined); an
        /// accumulator still to be stored after a first call is live across it, and the JIT then writes it to a stack
        /// slot at every k step (two stores per four FMAs in the paired GEMV). Passed together, none is live across a call.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void StorePair(int r, int j0, TV lo0, TV hi0, int j1, TV lo1, TV hi1)
        {
            Store(r, j0, lo0, hi0);
            Store(r, j1, lo1, hi1);
        }

        /// <summary>Rows 0..M-1 of one panel in one call (see <see cref="StorePair"/>).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void StoreRows(int j, TV c00, TV c01, TV c10, TV c11, TV c20, TV c21, TV c30, TV c31)
        {
            Store(0, j, c00, c01);
            Store(1, j, c10, c11);
            if (g.M > 2)
            {
                Store(2, j, c20, c21);
            }

            if (g.M > 3)
            {
                Store(3, j, c30, c31);
            }
        }

        /// <summary>C[r, j..j + NR) = (lo, hi) + bias, clipped at N.</summary>
        private void Store(int r, int j, TV lo, TV hi)
        {
            int w = TOps.Width;
            float* crow = g.C + (r * g.Ldc);
            if (j + (2 * w) <= g.N)
            {
                if (g.Bias != null)
                {
                    lo = TOps.Add(lo, TOps.Load(g.Bias + j));
                    hi = TOps.Add(hi, TOps.Load(g.Bias + j + w));
                }

                TOps.Store(crow + j, lo);
                TOps.Store(crow + j + w, hi);
                return;
            }

            float* tmp = stackalloc float[2 * w];
            TOps.Store(tmp, lo);
            TOps.Store(tmp + w, hi);
            for (int t = 0; j + t < g.N; t++)
            {
                crow[j + t] = tmp[t] + (g.Bias == null ? 0f : g.Bias[j + t]);
            }
        }
    }
}
