using System.Runtime.CompilerServices;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// What the GEMM writes into C after the products: C = clamp(alpha * acc + beta * C + rowBias[i] + colBias[j] + R[i, j],
/// lo, hi). beta == 0 never reads C (it may hold garbage). The biases, the residual R (C's layout: rows
/// <see cref="Ldr"/> apart) and the clamp are absent when null / off; the driver passes the biases (and the caller's
/// beta) only with the first K block and the residual and clamp only with the last, blocks in between accumulate with
/// beta = 1. A clamp propagates NaN.
/// </summary>
internal readonly unsafe struct GemmEpilogue(float alpha, float beta, float* rowBias, float* colBias, float* residual = null, nint ldr = 0, GemmClamp clamp = default)
{
    public float Alpha { get; } = alpha;

    public float Beta { get; } = beta;

    /// <summary>Bias per row of C, already offset to the micro-tile's first row; null when absent.</summary>
    public float* RowBias { get; } = rowBias;

    /// <summary>Bias per column of C, already offset to the micro-tile's first column; null when absent.</summary>
    public float* ColBias { get; } = colBias;

    /// <summary>Residual added to C, already offset to the micro-tile's first element; null when absent.</summary>
    public float* Residual { get; } = residual;

    /// <summary>Elements between the residual's rows.</summary>
    public nint Ldr { get; } = ldr;

    public GemmClamp Clamp { get; } = clamp;

    public GemmEpilogue At(int row, int col) =>
        new(Alpha, Beta, RowBias == null ? null : RowBias + row, ColBias == null ? null : ColBias + col,
            Residual == null ? null : Residual + (row * Ldr) + col, Ldr, Clamp);
}

/// <summary>An optional clamp of the GEMM output to [Lo, Hi] (Relu = [0, +inf), Relu6 = [0, 6], Clip).</summary>
internal readonly record struct GemmClamp(bool Enabled, float Lo, float Hi)
{
    public static GemmClamp Between(float lo, float hi) => new(true, lo, hi);
}

/// <summary>
/// The register-blocked micro-kernel: C[0..TRows, 0..cols] (+)= A panel x B panel over kc steps.
/// <para>
/// Lane layout: the packed A panel holds MR = TOps.Rows floats per k (one per row, zero padded) or, with
/// <see cref="GemmDirectA"/>, A is read in place (row r at r * lda, k contiguous: no packing, no padding rows); the B panel
/// 2 * Width floats per k (NR columns, zero padded), <paramref name="bStride"/> floats apart (NR for a packed panel; any
/// row stride works as long as 2 * Width floats are readable per k). Per k the kernel loads two B vectors, broadcasts one A element per row and issues 2 * TRows
/// FMAs into 2 * TRows accumulators that stay in registers (12 x 2 zmm of 32 on AVX-512, 6 x 2 ymm of 16 on AVX2).
/// Rows beyond TRows are compiled out; columns beyond <paramref name="cols"/> are computed but not stored.
/// </para>
/// </summary>
internal static unsafe class GemmMicroKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void Run<TV, TOps, TRows, TA>(int kc, float* a, nint lda, float* b, nint bStride, float* c, nint ldc, int cols, GemmEpilogue e)
        where TV : struct
        where TOps : struct, IGemmVector<TV>
        where TRows : struct, IGemmRows
        where TA : struct, IGemmAOperand
    {
        TV c00 = default, c01 = default;
        TV c10 = default, c11 = default;
        TV c20 = default, c21 = default;
        TV c30 = default, c31 = default;
        TV c40 = default, c41 = default;
        TV c50 = default, c51 = default;
        TV c60 = default, c61 = default;
        TV c70 = default, c71 = default;
        TV c80 = default, c81 = default;
        TV c90 = default, c91 = default;
        TV c100 = default, c101 = default;
        TV c110 = default, c111 = default;
        int w = TOps.Width;

        // Rows 3q + t of A are read at aq[t * rs]: four base pointers and one row stride keep the addresses in
        // base + index * scale form (a packed panel: rs = 1, constant displacements).
        nint rs = TA.Direct ? lda : 1;
        nint step = TA.Direct ? 1 : TOps.Rows;
        float* a3 = a + (3 * rs), a6 = a + (6 * rs), a9 = a + (9 * rs);
        for (int p = 0; p < kc; p++)
        {
            TV b0 = TOps.Load(b);
            TV b1 = TOps.Load(b + w);
            TV av;
            av = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(av, b0, c00);
            c01 = TOps.MultiplyAdd(av, b1, c01);
            if (TRows.Count > 1)
            {
                av = TOps.Broadcast(a[rs]);
                c10 = TOps.MultiplyAdd(av, b0, c10);
                c11 = TOps.MultiplyAdd(av, b1, c11);
            }

            if (TRows.Count > 2)
            {
                av = TOps.Broadcast(a[2 * rs]);
                c20 = TOps.MultiplyAdd(av, b0, c20);
                c21 = TOps.MultiplyAdd(av, b1, c21);
            }

            if (TRows.Count > 3)
            {
                av = TOps.Broadcast(a3[0]);
                c30 = TOps.MultiplyAdd(av, b0, c30);
                c31 = TOps.MultiplyAdd(av, b1, c31);
            }

            if (TRows.Count > 4)
            {
                av = TOps.Broadcast(a3[rs]);
                c40 = TOps.MultiplyAdd(av, b0, c40);
                c41 = TOps.MultiplyAdd(av, b1, c41);
            }

            if (TRows.Count > 5)
            {
                av = TOps.Broadcast(a3[2 * rs]);
                c50 = TOps.MultiplyAdd(av, b0, c50);
                c51 = TOps.MultiplyAdd(av, b1, c51);
            }

            if (TRows.Count > 6)
            {
                av = TOps.Broadcast(a6[0]);
                c60 = TOps.MultiplyAdd(av, b0, c60);
                c61 = TOps.MultiplyAdd(av, b1, c61);
            }

            if (TRows.Count > 7)
            {
                av = TOps.Broadcast(a6[rs]);
                c70 = TOps.MultiplyAdd(av, b0, c70);
                c71 = TOps.MultiplyAdd(av, b1, c71);
            }

            if (TRows.Count > 8)
            {
                av = TOps.Broadcast(a6[2 * rs]);
                c80 = TOps.MultiplyAdd(av, b0, c80);
                c81 = TOps.MultiplyAdd(av, b1, c81);
            }

            if (TRows.Count > 9)
            {
                av = TOps.Broadcast(a9[0]);
                c90 = TOps.MultiplyAdd(av, b0, c90);
                c91 = TOps.MultiplyAdd(av, b1, c91);
            }

            if (TRows.Count > 10)
            {
                av = TOps.Broadcast(a9[rs]);
                c100 = TOps.MultiplyAdd(av, b0, c100);
                c101 = TOps.MultiplyAdd(av, b1, c101);
            }

            if (TRows.Count > 11)
            {
                av = TOps.Broadcast(a9[2 * rs]);
                c110 = TOps.MultiplyAdd(av, b0, c110);
                c111 = TOps.MultiplyAdd(av, b1, c111);
            }

            a += step;
            if (TRows.Count > 3)
            {
                a3 += step;
            }

            if (TRows.Count > 6)
            {
                a6 += step;
            }

            if (TRows.Count > 9)
            {
                a9 += step;
            }

            b += bStride;
        }

        int nr = 2 * w;
        if (cols == nr)
        {
            StoreRow<TV, TOps>(c + (0 * ldc), c00, c01, e, 0);
            if (TRows.Count > 1)
            {
                StoreRow<TV, TOps>(c + (1 * ldc), c10, c11, e, 1);
            }

            if (TRows.Count > 2)
            {
                StoreRow<TV, TOps>(c + (2 * ldc), c20, c21, e, 2);
            }

            if (TRows.Count > 3)
            {
                StoreRow<TV, TOps>(c + (3 * ldc), c30, c31, e, 3);
            }

            if (TRows.Count > 4)
            {
                StoreRow<TV, TOps>(c + (4 * ldc), c40, c41, e, 4);
            }

            if (TRows.Count > 5)
            {
                StoreRow<TV, TOps>(c + (5 * ldc), c50, c51, e, 5);
            }

            if (TRows.Count > 6)
            {
                StoreRow<TV, TOps>(c + (6 * ldc), c60, c61, e, 6);
            }

            if (TRows.Count > 7)
            {
                StoreRow<TV, TOps>(c + (7 * ldc), c70, c71, e, 7);
            }

            if (TRows.Count > 8)
            {
                StoreRow<TV, TOps>(c + (8 * ldc), c80, c81, e, 8);
            }

            if (TRows.Count > 9)
            {
                StoreRow<TV, TOps>(c + (9 * ldc), c90, c91, e, 9);
            }

            if (TRows.Count > 10)
            {
                StoreRow<TV, TOps>(c + (10 * ldc), c100, c101, e, 10);
            }

            if (TRows.Count > 11)
            {
                StoreRow<TV, TOps>(c + (11 * ldc), c110, c111, e, 11);
            }
        }
        else
        {
            // Partial tile: spill the accumulators and store through scalars (no call while they live in registers).
            float* tmp = stackalloc float[12 * 2 * 16];
                    TOps.Store(tmp + (0 * nr), c00);
                TOps.Store(tmp + (0 * nr) + w, c01);
                    if (TRows.Count > 1)
                    {
                        TOps.Store(tmp + (1 * nr), c10);
                    TOps.Store(tmp + (1 * nr) + w, c11);
                    }

                    if (TRows.Count > 2)
                    {
                        TOps.Store(tmp + (2 * nr), c20);
                    TOps.Store(tmp + (2 * nr) + w, c21);
                    }

                    if (TRows.Count > 3)
                    {
                        TOps.Store(tmp + (3 * nr), c30);
                    TOps.Store(tmp + (3 * nr) + w, c31);
                    }

                    if (TRows.Count > 4)
                    {
                        TOps.Store(tmp + (4 * nr), c40);
                    TOps.Store(tmp + (4 * nr) + w, c41);
                    }

                    if (TRows.Count > 5)
                    {
                        TOps.Store(tmp + (5 * nr), c50);
                    TOps.Store(tmp + (5 * nr) + w, c51);
                    }

                    if (TRows.Count > 6)
                    {
                        TOps.Store(tmp + (6 * nr), c60);
                    TOps.Store(tmp + (6 * nr) + w, c61);
                    }

                    if (TRows.Count > 7)
                    {
                        TOps.Store(tmp + (7 * nr), c70);
                    TOps.Store(tmp + (7 * nr) + w, c71);
                    }

                    if (TRows.Count > 8)
                    {
                        TOps.Store(tmp + (8 * nr), c80);
                    TOps.Store(tmp + (8 * nr) + w, c81);
                    }

                    if (TRows.Count > 9)
                    {
                        TOps.Store(tmp + (9 * nr), c90);
                    TOps.Store(tmp + (9 * nr) + w, c91);
                    }

                    if (TRows.Count > 10)
                    {
                        TOps.Store(tmp + (10 * nr), c100);
                    TOps.Store(tmp + (10 * nr) + w, c101);
                    }

                    if (TRows.Count > 11)
                    {
                        TOps.Store(tmp + (11 * nr), c110);
                    TOps.Store(tmp + (11 * nr) + w, c111);
                    }
            StorePartial(tmp, nr, TRows.Count, c, ldc, cols, e);
        }
    }

    /// <summary>Dispatches a micro-tile of <paramref name="rows"/> (1..MR) rows to its specialized kernel.</summary>
    public static void Dispatch<TV, TOps>(int rows, int kc, float* a, float* b, nint bStride, float* c, nint ldc, int cols, GemmEpilogue e)
        where TV : struct
        where TOps : struct, IGemmVector<TV> =>
        Dispatch<TV, TOps, GemmPackedA>(rows, kc, a, 0, b, bStride, c, ldc, cols, e);

    /// <summary>Dispatches a micro-tile whose A is read as <typeparamref name="TA"/> says (lda: A's row stride when direct).</summary>
    public static void Dispatch<TV, TOps, TA>(int rows, int kc, float* a, nint lda, float* b, nint bStride, float* c, nint ldc, int cols, GemmEpilogue e)
        where TV : struct
        where TOps : struct, IGemmVector<TV>
        where TA : struct, IGemmAOperand
    {
        switch (rows)
        {
            case 1: Run<TV, TOps, GemmRows1, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 2: Run<TV, TOps, GemmRows2, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 3: Run<TV, TOps, GemmRows3, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 4: Run<TV, TOps, GemmRows4, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 5: Run<TV, TOps, GemmRows5, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 6: Run<TV, TOps, GemmRows6, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 7: Run<TV, TOps, GemmRows7, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 8: Run<TV, TOps, GemmRows8, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 9: Run<TV, TOps, GemmRows9, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 10: Run<TV, TOps, GemmRows10, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 11: Run<TV, TOps, GemmRows11, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            case 12: Run<TV, TOps, GemmRows12, TA>(kc, a, lda, b, bStride, c, ldc, cols, e); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    /// <summary>Writes one full row (NR columns) of the micro-tile through the epilogue with vector loads and stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TV, TOps>(float* c, TV acc0, TV acc1, GemmEpilogue e, int row)
        where TV : struct
        where TOps : struct, IGemmVector<TV>
    {
        int w = TOps.Width;
        TV alpha = TOps.Broadcast(e.Alpha);
        TV v0 = TOps.Multiply(acc0, alpha);
        TV v1 = TOps.Multiply(acc1, alpha);
        if (e.Beta == 1)
        {
            v0 = TOps.Add(v0, TOps.Load(c));
            v1 = TOps.Add(v1, TOps.Load(c + w));
        }
        else if (e.Beta != 0)
        {
            TV beta = TOps.Broadcast(e.Beta);
            v0 = TOps.MultiplyAdd(TOps.Load(c), beta, v0);
            v1 = TOps.MultiplyAdd(TOps.Load(c + w), beta, v1);
        }

        if (e.RowBias != null)
        {
            TV bias = TOps.Broadcast(e.RowBias[row]);
            v0 = TOps.Add(v0, bias);
            v1 = TOps.Add(v1, bias);
        }

        if (e.ColBias != null)
        {
            v0 = TOps.Add(v0, TOps.Load(e.ColBias));
            v1 = TOps.Add(v1, TOps.Load(e.ColBias + w));
        }

        if (e.Residual != null)
        {
            float* r = e.Residual + (row * e.Ldr);
            v0 = TOps.Add(v0, TOps.Load(r));
            v1 = TOps.Add(v1, TOps.Load(r + w));
        }

        if (e.Clamp.Enabled)
        {
            TV lo = TOps.Broadcast(e.Clamp.Lo), hi = TOps.Broadcast(e.Clamp.Hi);
            v0 = TOps.Clamp(v0, lo, hi);
            v1 = TOps.Clamp(v1, lo, hi);
        }

        TOps.Store(c, v0);
        TOps.Store(c + w, v1);
    }

    /// <summary>Epilogue of a partial tile from spilled accumulators (<paramref name="tmp"/> rows are <paramref name="nr"/> apart).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StorePartial(float* tmp, int nr, int rows, float* c, nint ldc, int cols, GemmEpilogue e)
    {
        for (int r = 0; r < rows; r++)
        {
            float rowBias = e.RowBias == null ? 0f : e.RowBias[r];
            float* src = tmp + (r * nr);
            float* dst = c + (r * ldc);
            for (int j = 0; j < cols; j++)
            {
                float v = e.Alpha * src[j];
                if (e.Beta != 0)
                {
                    v += e.Beta * dst[j];
                }

                v += rowBias;
                if (e.ColBias != null)
                {
                    v += e.ColBias[j];
                }

                if (e.Residual != null)
                {
                    v += e.Residual[(r * e.Ldr) + j];
                }

                if (e.Clamp.Enabled)
                {
                    v = MathF.Min(MathF.Max(v, e.Clamp.Lo), e.Clamp.Hi);
                }

                dst[j] = v;
            }
        }
    }
}
