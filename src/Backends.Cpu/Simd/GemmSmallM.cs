using System.Runtime.CompilerServices;
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
}
