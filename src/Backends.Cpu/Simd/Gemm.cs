using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// Row-major GEMM shared by MatMul, Gemm, Conv and ConvTranspose: C = alpha * op(A) * op(B) + beta * C with
/// op(A) [M, K], op(B) [K, N] and leading dimensions lda/ldb/ldc (elements between rows).
/// <para>
/// SGEMM: transposed operands are first copied to row-major (no packing otherwise). C is split into tiles of
/// <see cref="TileRows"/> x <see cref="TileCols"/> computed independently (in parallel when the product is
/// large); inside a tile K is walked in <see cref="BlockK"/> slices so the slice of B stays in L2, and a 6x16
/// micro-kernel keeps 12 Vector256 accumulators (6 rows x 2 vectors) in registers: per k it loads two vectors
/// of a B row, broadcasts one A element per row and issues 12 FMAs. Row tails use a 1x16 kernel, column tails
/// 1x8 vectors then scalars. Without AVX the kernel falls back to TensorPrimitives row updates; with
/// <see cref="UnaryDriver.AllowVectors"/> off it runs <see cref="Reference"/>.
/// </para>
/// </summary>
internal static unsafe class Gemm
{
    private const int MicroRows = 6;
    private const int MicroCols = 16;
    private const int BlockK = 256;
    private const int TileRows = MicroRows * 16;
    private const int TileCols = 256;

    /// <summary>Multiply-adds (m * n * k) below which the product runs on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>C = alpha * op(A) * op(B) + beta * C over float32.</summary>
    public static void Sgemm(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        ScaleC(m, n, beta, c, ldc);
        if (k == 0 || alpha == 0)
        {
            return;
        }

        if (!UnaryDriver.AllowVectors)
        {
            Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, 1, c, ldc);
            return;
        }

        float[]? aT = null;
        float[]? bT = null;
        if (transA)
        {
            aT = new float[m * k];
            Transpose(a, lda, k, m, aT);
            a = aT;
            lda = k;
        }

        if (transB)
        {
            bT = new float[k * n];
            Transpose(b, ldb, n, k, bT);
            b = bT;
            ldb = n;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var job = new Job(pa, lda, pb, ldb, pc, ldc, m, n, k, alpha);
            int tileRows = (m + TileRows - 1) / TileRows;
            int tileCols = (n + TileCols - 1) / TileCols;
            int tiles = tileRows * tileCols;
            if (tiles > 1 && (long)m * n * k >= ParallelThreshold && Environment.ProcessorCount > 1)
            {
                Parallel.For(0, tiles, t => job.RunTile(t / tileCols, t % tileCols));
            }
            else
            {
                for (int t = 0; t < tiles; t++)
                {
                    job.RunTile(t / tileCols, t % tileCols);
                }
            }
        }
    }

    /// <summary>Scalar oracle: C = alpha * op(A) * op(B) + beta * C, one dot product per element.</summary>
    public static void Reference(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    float bv = transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += av * bv;
                }

                ref float cv = ref c[(i * ldc) + j];
                cv = (alpha * sum) + (beta == 0 ? 0 : beta * cv);
            }
        }
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C for any numeric type (double, integers): row updates, no blocking.</summary>
    public static void Generic<T>(
        bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (T.IsZero(beta))
            {
                row.Clear();
            }
            else if (beta != T.One)
            {
                for (int j = 0; j < n; j++)
                {
                    row[j] *= beta;
                }
            }

            for (int p = 0; p < k; p++)
            {
                T av = alpha * (transA ? a[(p * lda) + i] : a[(i * lda) + p]);
                if (T.IsZero(av))
                {
                    continue;
                }

                if (transB)
                {
                    for (int j = 0; j < n; j++)
                    {
                        row[j] += av * b[(j * ldb) + p];
                    }
                }
                else
                {
                    var brow = b.Slice(p * ldb, n);
                    for (int j = 0; j < n; j++)
                    {
                        row[j] += av * brow[j];
                    }
                }
            }
        }
    }

    /// <summary>dst [cols, rows] = transpose of src [rows, cols] (src rows <paramref name="lds"/> apart).</summary>
    public static void Transpose(ReadOnlySpan<float> src, int lds, int rows, int cols, Span<float> dst)
    {
        // 8x8 blocks keep both the reads and the writes within a few cache lines.
        const int B = 8;
        for (int r0 = 0; r0 < rows; r0 += B)
        {
            int r1 = Math.Min(r0 + B, rows);
            for (int c0 = 0; c0 < cols; c0 += B)
            {
                int c1 = Math.Min(c0 + B, cols);
                for (int r = r0; r < r1; r++)
                {
                    for (int col = c0; col < c1; col++)
                    {
                        dst[(col * rows) + r] = src[(r * lds) + col];
                    }
                }
            }
        }
    }

    private static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1)
        {
            return;
        }

        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0)
            {
                row.Clear();
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>One SGEMM call's operands (row-major, no transposes) and its tile loop.</summary>
    private readonly struct Job
    {
        private readonly float* _a;
        private readonly float* _b;
        private readonly float* _c;
        private readonly int _lda;
        private readonly int _ldb;
        private readonly int _ldc;
        private readonly int _m;
        private readonly int _n;
        private readonly int _k;
        private readonly float _alpha;

        public Job(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k, float alpha)
        {
            _a = a;
            _b = b;
            _c = c;
            _lda = lda;
            _ldb = ldb;
            _ldc = ldc;
            _m = m;
            _n = n;
            _k = k;
            _alpha = alpha;
        }

        public void RunTile(int tileRow, int tileCol)
        {
            int i0 = tileRow * TileRows;
            int i1 = Math.Min(i0 + TileRows, _m);
            int j0 = tileCol * TileCols;
            int j1 = Math.Min(j0 + TileCols, _n);
            if (!Vector256.IsHardwareAccelerated)
            {
                RunTilePortable(i0, i1, j0, j1);
                return;
            }

            for (int p0 = 0; p0 < _k; p0 += BlockK)
            {
                int kc = Math.Min(BlockK, _k - p0);
                int i = i0;
                for (; i + MicroRows <= i1; i += MicroRows)
                {
                    int j = j0;
                    for (; j + MicroCols <= j1; j += MicroCols)
                    {
                        Kernel6x16(i, j, p0, kc);
                    }

                    for (int r = i; r < i + MicroRows; r++)
                    {
                        RowTail(r, j, j1, p0, kc);
                    }
                }

                for (; i < i1; i++)
                {
                    int j = j0;
                    for (; j + MicroCols <= j1; j += MicroCols)
                    {
                        Kernel1x16(i, j, p0, kc);
                    }

                    RowTail(i, j, j1, p0, kc);
                }
            }
        }

        /// <summary>C[i..i+6, j..j+16] += alpha * A[i..i+6, p0..p0+kc] * B[p0..p0+kc, j..j+16].</summary>
        private void Kernel6x16(int i, int j, int p0, int kc)
        {
            float* a0 = _a + ((long)i * _lda) + p0;
            float* a1 = a0 + _lda;
            float* a2 = a1 + _lda;
            float* a3 = a2 + _lda;
            float* a4 = a3 + _lda;
            float* a5 = a4 + _lda;
            float* bp = _b + ((long)p0 * _ldb) + j;
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector256.Load(bp);
                var b1 = Vector256.Load(bp + 8);
                bp += _ldb;
                var av = Vector256.Create(a0[p]);
                c00 = MulAdd(av, b0, c00);
                c01 = MulAdd(av, b1, c01);
                av = Vector256.Create(a1[p]);
                c10 = MulAdd(av, b0, c10);
                c11 = MulAdd(av, b1, c11);
                av = Vector256.Create(a2[p]);
                c20 = MulAdd(av, b0, c20);
                c21 = MulAdd(av, b1, c21);
                av = Vector256.Create(a3[p]);
                c30 = MulAdd(av, b0, c30);
                c31 = MulAdd(av, b1, c31);
                av = Vector256.Create(a4[p]);
                c40 = MulAdd(av, b0, c40);
                c41 = MulAdd(av, b1, c41);
                av = Vector256.Create(a5[p]);
                c50 = MulAdd(av, b0, c50);
                c51 = MulAdd(av, b1, c51);
            }

            var alpha = Vector256.Create(_alpha);
            float* cp = _c + ((long)i * _ldc) + j;
            Store(cp, alpha, c00, c01);
            Store(cp + _ldc, alpha, c10, c11);
            Store(cp + (2L * _ldc), alpha, c20, c21);
            Store(cp + (3L * _ldc), alpha, c30, c31);
            Store(cp + (4L * _ldc), alpha, c40, c41);
            Store(cp + (5L * _ldc), alpha, c50, c51);
        }

        /// <summary>One row, 16 columns; k unrolled by two into independent accumulators to hide FMA latency.</summary>
        private void Kernel1x16(int i, int j, int p0, int kc)
        {
            float* ap = _a + ((long)i * _lda) + p0;
            float* bp = _b + ((long)p0 * _ldb) + j;
            Vector256<float> c0 = default, c1 = default, d0 = default, d1 = default;
            int p = 0;
            for (; p + 2 <= kc; p += 2)
            {
                var av = Vector256.Create(ap[p]);
                c0 = MulAdd(av, Vector256.Load(bp), c0);
                c1 = MulAdd(av, Vector256.Load(bp + 8), c1);
                bp += _ldb;
                av = Vector256.Create(ap[p + 1]);
                d0 = MulAdd(av, Vector256.Load(bp), d0);
                d1 = MulAdd(av, Vector256.Load(bp + 8), d1);
                bp += _ldb;
            }

            if (p < kc)
            {
                var av = Vector256.Create(ap[p]);
                c0 = MulAdd(av, Vector256.Load(bp), c0);
                c1 = MulAdd(av, Vector256.Load(bp + 8), c1);
            }

            Store(_c + ((long)i * _ldc) + j, Vector256.Create(_alpha), c0 + d0, c1 + d1);
        }

        /// <summary>Columns [j, j1) of row i: 8-wide vectors, then scalars.</summary>
        private void RowTail(int i, int j, int j1, int p0, int kc)
        {
            float* ap = _a + ((long)i * _lda) + p0;
            float* cp = _c + ((long)i * _ldc);
            for (; j + 8 <= j1; j += 8)
            {
                float* bp = _b + ((long)p0 * _ldb) + j;
                Vector256<float> acc = default;
                for (int p = 0; p < kc; p++)
                {
                    acc = MulAdd(Vector256.Create(ap[p]), Vector256.Load(bp), acc);
                    bp += _ldb;
                }

                Vector256.Store(MulAdd(Vector256.Create(_alpha), acc, Vector256.Load(cp + j)), cp + j);
            }

            for (; j < j1; j++)
            {
                float* bp = _b + ((long)p0 * _ldb) + j;
                float sum = 0;
                for (int p = 0; p < kc; p++)
                {
                    sum += ap[p] * *bp;
                    bp += _ldb;
                }

                cp[j] += _alpha * sum;
            }
        }

        /// <summary>No Vector256: C row += (alpha * A[i, p]) * B row, through TensorPrimitives (Vector128/NEON or scalar).</summary>
        private void RunTilePortable(int i0, int i1, int j0, int j1)
        {
            int width = j1 - j0;
            for (int i = i0; i < i1; i++)
            {
                var crow = new Span<float>(_c + ((long)i * _ldc) + j0, width);
                for (int p = 0; p < _k; p++)
                {
                    float av = _alpha * _a[((long)i * _lda) + p];
                    var brow = new ReadOnlySpan<float>(_b + ((long)p * _ldb) + j0, width);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(brow, av, crow, crow);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* cp, Vector256<float> alpha, Vector256<float> v0, Vector256<float> v1)
        {
            Vector256.Store(MulAdd(alpha, v0, Vector256.Load(cp)), cp);
            Vector256.Store(MulAdd(alpha, v1, Vector256.Load(cp + 8)), cp + 8);
        }
    }
}
