using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// What a GEMM does to C after alpha * op(A) op(B) + beta * C + biases: add a residual of C's layout, clamp, then apply
/// an element-wise post-op, all while each tile is in cache. <see cref="DirectB"/> lets full-width panels of an
/// unpacked row-major B be read in place (see <see cref="GemmProblem.DirectB"/>).
/// </summary>
internal readonly ref struct GemmFinalOps
{
    public ReadOnlySpan<float> Residual { get; init; }

    public GemmClamp Clamp { get; init; }

    public GemmPostOp? Post { get; init; }

    public bool DirectB { get; init; }

    public bool Any => !Residual.IsEmpty || Clamp.Enabled || Post is not null;
}

/// <summary>
/// Row-major GEMM shared by MatMul, Gemm, Conv and ConvTranspose: C = alpha * op(A) * op(B) + beta * C (+ row/column
/// bias) with op(A) [M, K], op(B) [K, N] and leading dimensions lda/ldb/ldc (elements between rows).
/// <para>
/// SGEMM is packed and cache blocked (<see cref="GemmDriver"/>) around a register-blocked micro-kernel
/// (<see cref="GemmMicroKernel"/>) of the best available width: 12x32 Vector512, 6x16 Vector256+FMA or 6x8 Vector128
/// (SSE/NEON). Without vector hardware, or with <see cref="UnaryDriver.AllowVectors"/> off, it runs the scalar oracle
/// <see cref="Reference"/>. Operands used many times (weights) can be packed once with <see cref="PackedGemmMatrix"/>.
/// </para>
/// </summary>
internal static unsafe class Gemm
{
    private static GemmLayout s_layout = GemmLayout.For(DetectIsa());

    /// <summary>The ISA the packed SGEMM runs on; tests may lower it (to any <see cref="IsSupported"/> one) to cover every path.</summary>
    public static GemmIsa Isa
    {
        get => s_layout.Isa;
        set
        {
            if (!IsSupported(value))
            {
                throw new PlatformNotSupportedException($"GEMM ISA {value} is not supported on this machine");
            }

            s_layout = GemmLayout.For(value);
        }
    }

    /// <summary>The blocking of the current ISA (packed operands must be packed with the same layout).</summary>
    public static GemmLayout Layout => s_layout;

    public static bool IsSupported(GemmIsa isa) => isa switch
    {
        GemmIsa.Scalar => true,
        GemmIsa.Vector128 => Vector128.IsHardwareAccelerated,
        GemmIsa.Avx2 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        GemmIsa.Avx512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported,
        _ => false,
    };

    public static GemmIsa DetectIsa() =>
        IsSupported(GemmIsa.Avx512) ? GemmIsa.Avx512
        : IsSupported(GemmIsa.Avx2) ? GemmIsa.Avx2
        : IsSupported(GemmIsa.Vector128) ? GemmIsa.Vector128
        : GemmIsa.Scalar;

    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C + rowBias[i] + colBias[j] over float32 on up to <paramref name="threads"/>
    /// threads. <paramref name="packedA"/> / <paramref name="packedB"/>, when they fit the current layout and the
    /// operand, replace A / B (which may then be empty). Biases are optional (empty = none).
    /// </summary>
    public static void Sgemm(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc,
        int threads = 1, PackedGemmMatrix? packedA = null, PackedGemmMatrix? packedB = null,
        ReadOnlySpan<float> rowBias = default, ReadOnlySpan<float> colBias = default, in GemmFinalOps final = default)
    {
        long zero = 0;
        SgemmBatched(
            1, transA, transB, m, n, k, alpha, a, lda, new ReadOnlySpan<long>(in zero), b, ldb, new ReadOnlySpan<long>(in zero),
            beta, c, ldc, 0, threads, packedA, packedB, rowBias, colBias, final);
    }

    /// <summary>
    /// Strided batch: for t in [0, batches), C_t = alpha * op(A_t) * op(B_t) + beta * C_t (+ biases), where A_t starts at
    /// element aOffsets[t] of <paramref name="a"/>, B_t at bOffsets[t] and C_t at t * <paramref name="strideC"/>. Offsets may
    /// repeat (broadcast). All batches and tiles share one parallel loop.
    /// </summary>
    public static void SgemmBatched(
        int batches, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<long> aOffsets, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<long> bOffsets,
        float beta, Span<float> c, int ldc, long strideC,
        int threads = 1, PackedGemmMatrix? packedA = null, PackedGemmMatrix? packedB = null,
        ReadOnlySpan<float> rowBias = default, ReadOnlySpan<float> colBias = default, in GemmFinalOps final = default)
    {
        if (m < 0 || n < 0 || k < 0 || batches < 0)
        {
            throw new ArgumentException($"GEMM sizes must be non-negative, got M={m} N={n} K={k} batches={batches}");
        }

        if (m == 0 || n == 0 || batches == 0)
        {
            return;
        }

        var layout = s_layout;
        bool useA = packedA is not null && packedA.Fits(layout, isA: true, m, k);
        bool useB = packedB is not null && packedB.Fits(layout, isA: false, n, k);
        if (aOffsets.Length < batches || bOffsets.Length < batches)
        {
            throw new ArgumentException($"GEMM batch offsets ({aOffsets.Length}, {bOffsets.Length}) are fewer than the {batches} batches");
        }

        for (int t = 0; t < batches; t++)
        {
            if (!useA)
            {
                CheckOperand(Slice(a, aOffsets[t]), lda, !transA, m, k, "A");
            }

            if (!useB)
            {
                CheckOperand(Slice(b, bOffsets[t]), ldb, transB, n, k, "B");
            }
        }

        if (ldc < n || ((batches - 1) * strideC) + ((long)(m - 1) * ldc) + n > c.Length)
        {
            throw new ArgumentException($"GEMM output of {c.Length} elements is too small for {batches} x [{m}, {n}] (ldc {ldc}, stride {strideC})");
        }

        if ((!rowBias.IsEmpty && rowBias.Length < m) || (!colBias.IsEmpty && colBias.Length < n))
        {
            throw new ArgumentException($"GEMM bias lengths ({rowBias.Length}, {colBias.Length}) do not cover [{m}, {n}]");
        }

        var residual = final.Residual;
        if (!residual.IsEmpty && residual.Length < ((batches - 1) * strideC) + ((long)(m - 1) * ldc) + n)
        {
            throw new ArgumentException($"GEMM residual of {residual.Length} elements does not cover {batches} x [{m}, {n}] (ldc {ldc}, stride {strideC})");
        }

        if (k == 0 || alpha == 0 || layout.Isa == GemmIsa.Scalar || !UnaryDriver.AllowVectors)
        {
            for (int t = 0; t < batches; t++)
            {
                var ct = c.Slice((int)(t * strideC));
                if (k == 0 || alpha == 0)
                {
                    ScaleC(m, n, beta, ct, ldc);
                }
                else
                {
                    Reference(transA, transB, m, n, k, alpha, Slice(a, aOffsets[t]), lda, Slice(b, bOffsets[t]), ldb, beta, ct, ldc);
                }

                AddBiases(m, n, ct, ldc, rowBias, colBias);
                if (final.Any)
                {
                    for (int i = 0; i < m; i++)
                    {
                        var row = ct.Slice(i * ldc, n);
                        if (!residual.IsEmpty)
                        {
                            System.Numerics.Tensors.TensorPrimitives.Add(row, residual.Slice((int)((t * strideC) + ((long)i * ldc)), n), row);
                        }

                        if (final.Clamp.Enabled)
                        {
                            System.Numerics.Tensors.TensorPrimitives.Max(row, final.Clamp.Lo, row);
                            System.Numerics.Tensors.TensorPrimitives.Min(row, final.Clamp.Hi, row);
                        }

                        final.Post?.Apply(row);
                    }
                }
            }

            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* prb = rowBias)
        fixed (float* pcb = colBias)
        fixed (long* pao = aOffsets)
        fixed (long* pbo = bOffsets)
        fixed (float* pr = residual)
        {
            var problem = new GemmProblem
            {
                TransA = transA,
                TransB = transB,
                M = m,
                N = n,
                K = k,
                Alpha = alpha,
                Beta = beta,
                A = useA ? null : pa,
                Lda = lda,
                B = useB ? null : pb,
                Ldb = ldb,
                C = pc,
                Ldc = ldc,
                PackedA = useA ? packedA!.Data : null,
                PackedB = useB ? packedB!.Data : null,
                RowBias = rowBias.IsEmpty ? null : prb,
                ColBias = colBias.IsEmpty ? null : pcb,
                Batches = batches,
                AOffsets = pao,
                BOffsets = pbo,
                CStride = strideC,
                Residual = residual.IsEmpty ? null : pr,
                Clamp = final.Clamp,
                Post = final.Post,
                DirectB = final.DirectB,
            };

            switch (layout.Isa)
            {
                case GemmIsa.Avx512: GemmDriver.Run<Vector512<float>, GemmVector512>(problem, layout, threads); break;
                case GemmIsa.Avx2: GemmDriver.Run<Vector256<float>, GemmVector256>(problem, layout, threads); break;
                default: GemmDriver.Run<Vector128<float>, GemmVector128>(problem, layout, threads); break;
            }
        }
    }

    /// <summary>
    /// Throws unless <paramref name="span"/> holds the operand: <paramref name="outer"/> x <paramref name="inner"/> stored
    /// outer-major (rows of length inner, <paramref name="ld"/> apart) when <paramref name="outerMajor"/>, inner-major otherwise.
    /// </summary>
    internal static void CheckOperand(ReadOnlySpan<float> span, int ld, bool outerMajor, int outer, int inner, string name)
    {
        int rows = outerMajor ? outer : inner;
        int cols = outerMajor ? inner : outer;
        if (rows == 0 || cols == 0)
        {
            return;
        }

        if (ld < cols || ((long)(rows - 1) * ld) + cols > span.Length)
        {
            throw new ArgumentException($"GEMM operand {name} of {span.Length} elements does not hold [{rows}, {cols}] with leading dimension {ld}");
        }
    }

    private static ReadOnlySpan<float> Slice(ReadOnlySpan<float> s, long offset) =>
        offset <= s.Length ? s.Slice((int)offset) : throw new ArgumentException($"GEMM batch offset {offset} is beyond the operand ({s.Length} elements)");

    private static void AddBiases(int m, int n, Span<float> c, int ldc, ReadOnlySpan<float> rowBias, ReadOnlySpan<float> colBias)
    {
        for (int i = 0; i < m && !(rowBias.IsEmpty && colBias.IsEmpty); i++)
        {
            var row = c.Slice(i * ldc, n);
            if (!rowBias.IsEmpty)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(row, rowBias[i], row);
            }

            if (!colBias.IsEmpty)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(row, colBias[..n], row);
            }
        }
    }

    /// <summary>Scalar oracle: C = alpha * op(A) * op(B) + beta * C, one dot product per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
}
