using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenAutoGlm.Backends.Cpu.Simd;

/// <summary>
/// Blocking of one ISA's packed SGEMM: micro-tile MR x NR, K block KC (one A panel plus one B panel stay in L1),
/// M block MC (an MC x KC block of A stays in L2) and N block NC (a KC x NC block of B per task). On AVX-512 MC is 480
/// (a 480 KB A block of the 1 MB L2): each M block streams all of B once, and with 240 a [1024, 768] x [768, 3072]
/// product streamed its 9 MB B six times; on two threads BERT-base's shapes ran at 340-420 GFLOP/s with 240 and
/// 410-450 with 480 (kernel benchmark, one run each way, same machine).
/// </summary>
internal readonly record struct GemmLayout(GemmIsa Isa, int Mr, int Nr, int Kc, int Mc, int Nc)
{
    public static GemmLayout For(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => new(isa, 12, 32, 256, 480, 1024),
        GemmIsa.Avx2 => new(isa, 6, 16, 256, 240, 1024),
        GemmIsa.Vector128 => new(isa, 6, 8, 256, 240, 1024),
        _ => new(isa, 1, 1, 256, 240, 1024),
    };
}

/// <summary>
/// Packing into micro-panels. A panel: MR rows of a KC slice stored k-major (element (r, p) at p * MR + r);
/// a B panel: NR columns stored k-major (element (p, j) at p * NR + j). Edge panels are zero padded so the micro-kernel
/// always runs full width; a packed block is its panels back to back.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs rows [i0, i0 + rows) x k [p0, p0 + kc) of op(A) into ceil(rows / mr) panels at <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* a, nint lda, bool trans, int i0, int rows, int p0, int kc, float* dst, int mr)
    {
        for (int panel = 0; panel < rows; panel += mr)
        {
            int pr = Math.Min(mr, rows - panel);
            if (!trans)
            {
                TransposeRows(a + ((i0 + panel) * lda) + p0, lda, pr, kc, dst, mr);
                for (int r = pr; r < mr; r++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        dst[(p * mr) + r] = 0;
                    }
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + ((p0 + p) * lda) + i0 + panel;
                    float* d = dst + (p * mr);
                    int r = 0;
                    for (; r < pr; r++)
                    {
                        d[r] = src[r];
                    }

                    for (; r < mr; r++)
                    {
                        d[r] = 0;
                    }
                }
            }

            dst += kc * mr;
        }
    }

    /// <summary>
    /// dst[p * mr + r] = src[r * ld + p] for r &lt; rows, p &lt; kc: <paramref name="rows"/> rows of a row-major block
    /// written k-major into an A panel (or, with columns for rows, a transposed B panel). Groups of four rows go
    /// through 4 x 4 transposes: eight k per step on AVX (each 128-bit lane transposes four k), then four k per step on
    /// SSE (four row loads, four unpacks, four stores of one k each); leftover rows and k are copied one by one. The
    /// span overload checks the extents (tests); the packers call the pointer one.
    /// </summary>
    internal static void TransposeRows(ReadOnlySpan<float> src, int ld, int rows, int kc, Span<float> dst, int mr)
    {
        if (rows < 0 || rows > mr || kc < 0 || (rows > 0 && kc > 0 && ((long)(rows - 1) * ld) + kc > src.Length) || (long)kc * mr > dst.Length)
        {
            throw new ArgumentException($"TransposeRows: {rows} rows x {kc} (ld {ld}) from {src.Length} elements into panels of {mr} in {dst.Length}");
        }

        fixed (float* s = src)
        fixed (float* d = dst)
        {
            TransposeRows(s, ld, rows, kc, d, mr);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TransposeRows(float* src, nint ld, int rows, int kc, float* dst, int mr)
    {
        int r = 0;
        if (Sse.IsSupported)
        {
            for (; r + 4 <= rows; r += 4)
            {
                float* s0 = src + (r * ld), s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
                float* d = dst + r;
                int p = 0;
                if (Avx.IsSupported)
                {
                    // The same per 128-bit lane: lane 0 transposes k p..p+3, lane 1 k p+4..p+7.
                    for (; p + 8 <= kc; p += 8)
                    {
                        var x0 = Avx.LoadVector256(s0 + p);
                        var x1 = Avx.LoadVector256(s1 + p);
                        var x2 = Avx.LoadVector256(s2 + p);
                        var x3 = Avx.LoadVector256(s3 + p);
                        var t0 = Avx.UnpackLow(x0, x1);
                        var t1 = Avx.UnpackHigh(x0, x1);
                        var t2 = Avx.UnpackLow(x2, x3);
                        var t3 = Avx.UnpackHigh(x2, x3);
                        var k0 = Avx.Shuffle(t0, t2, 0x44);
                        var k1 = Avx.Shuffle(t0, t2, 0xEE);
                        var k2 = Avx.Shuffle(t1, t3, 0x44);
                        var k3 = Avx.Shuffle(t1, t3, 0xEE);
                        float* dp = d + (p * mr);
                        Sse.Store(dp, k0.GetLower());
                        Sse.Store(dp + mr, k1.GetLower());
                        Sse.Store(dp + (2 * mr), k2.GetLower());
                        Sse.Store(dp + (3 * mr), k3.GetLower());
                        Sse.Store(dp + (4 * mr), k0.GetUpper());
                        Sse.Store(dp + (5 * mr), k1.GetUpper());
                        Sse.Store(dp + (6 * mr), k2.GetUpper());
                        Sse.Store(dp + (7 * mr), k3.GetUpper());
                    }
                }

                for (; p + 4 <= kc; p += 4)
                {
                    // Rows a, b, c, d of k p..p+3 -> t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3.
                    var x0 = Sse.LoadVector128(s0 + p);
                    var x1 = Sse.LoadVector128(s1 + p);
                    var x2 = Sse.LoadVector128(s2 + p);
                    var x3 = Sse.LoadVector128(s3 + p);
                    var t0 = Sse.UnpackLow(x0, x1);
                    var t1 = Sse.UnpackHigh(x0, x1);
                    var t2 = Sse.UnpackLow(x2, x3);
                    var t3 = Sse.UnpackHigh(x2, x3);
                    float* dp = d + (p * mr);
                    Sse.Store(dp, Sse.MoveLowToHigh(t0, t2));
                    Sse.Store(dp + mr, Sse.MoveHighToLow(t2, t0));
                    Sse.Store(dp + (2 * mr), Sse.MoveLowToHigh(t1, t3));
                    Sse.Store(dp + (3 * mr), Sse.MoveHighToLow(t3, t1));
                }

                for (; p < kc; p++)
                {
                    float* dp = d + (p * mr);
                    dp[0] = s0[p];
                    dp[1] = s1[p];
                    dp[2] = s2[p];
                    dp[3] = s3[p];
                }
            }
        }

        for (; r < rows; r++)
        {
            float* s = src + (r * ld);
            float* d = dst + r;
            for (int p = 0; p < kc; p++)
            {
                d[p * mr] = s[p];
            }
        }
    }

    /// <summary>Packs k [p0, p0 + kc) x columns [j0, j0 + cols) of op(B) into ceil(cols / nr) panels at <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* b, nint ldb, bool trans, int p0, int kc, int j0, int cols, float* dst, int nr)
    {
        for (int panel = 0; panel < cols; panel += nr)
        {
            int pc = Math.Min(nr, cols - panel);
            if (!trans)
            {
                float* src = b + (p0 * ldb) + j0 + panel;
                for (int p = 0; p < kc; p++)
                {
                    float* d = dst + (p * nr);
                    Unsafe.CopyBlockUnaligned(d, src, (uint)(pc * sizeof(float)));
                    for (int j = pc; j < nr; j++)
                    {
                        d[j] = 0;
                    }

                    src += ldb;
                }
            }
            else
            {
                TransposeRows(b + ((j0 + panel) * ldb) + p0, ldb, pc, kc, dst, nr);
                for (int j = pc; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        dst[(p * nr) + j] = 0;
                    }
                }
            }

            dst += kc * nr;
        }
    }

    /// <summary>A pinned, 64-byte aligned float buffer of at least <paramref name="floats"/> elements.</summary>
    public static float* Align(float[] pinned) => (float*)(((nint)Unsafe.AsPointer(ref pinned[0]) + 63) & ~(nint)63);

    public static float[] AllocatePinned(long floats) => GC.AllocateUninitializedArray<float>(checked((int)(floats + 16)), pinned: true);
}

/// <summary>
/// A whole operand packed once for reuse (weights), valid only for the <see cref="GemmLayout"/> (ISA) it was packed for
/// (the GEMM ignores it otherwise).
/// <list type="bullet">
/// <item>op(A) [M, K] as A panels in KC blocks: block pb (k from pb * KC) starts at pb * KC * padded(M) and holds that
/// block's MR-row panels back to back.</item>
/// <item>op(B) [K, N] panel-major: NR-column panel J (columns J * NR ..) starts at J * NR * K and holds all K rows of NR
/// floats, so the KC block from row p0 is at J * NR * K + p0 * NR. A GEMM tile reads the same contiguous KC x NR piece
/// as with block-major packing; a GEMV (decoding, a classifier at batch 1) streams each panel as one contiguous run
/// instead of K / KC runs a block of all panels apart.</item>
/// </list>
/// </summary>
internal sealed unsafe class PackedGemmMatrix
{
    private readonly float[] _buffer;

    private PackedGemmMatrix(GemmLayout layout, bool isA, int outer, int k, float[] buffer)
    {
        Layout = layout;
        IsA = isA;
        Outer = outer;
        K = k;
        _buffer = buffer;
    }

    public GemmLayout Layout { get; }

    /// <summary>True for packed A panels (rows of C), false for packed B panels (columns of C).</summary>
    public bool IsA { get; }

    /// <summary>M for a packed A, N for a packed B.</summary>
    public int Outer { get; }

    public int K { get; }

    /// <summary>The first packed element (the buffer is pinned, so the address is stable).</summary>
    public float* Data => GemmPacking.Align(_buffer);

    public int PaddedOuter => RoundUp(Outer, IsA ? Layout.Mr : Layout.Nr);

    /// <summary>Packs op(A) [M, K] (A is [M, K] with row stride lda, or [K, M] when transposed); null without a vector ISA.</summary>
    public static PackedGemmMatrix? PackA(ReadOnlySpan<float> a, int lda, bool trans, int m, int k) =>
        Pack(Gemm.Layout, isA: true, a, lda, trans, m, k);

    /// <summary>Packs op(B) [K, N] (B is [K, N] with row stride ldb, or [N, K] when transposed); null without a vector ISA.</summary>
    public static PackedGemmMatrix? PackB(ReadOnlySpan<float> b, int ldb, bool trans, int k, int n) =>
        Pack(Gemm.Layout, isA: false, b, ldb, trans, n, k);

    /// <summary>Whether this matrix can stand for the operand (same ISA layout, side and sizes).</summary>
    public bool Fits(GemmLayout layout, bool isA, int outer, int k) => Layout == layout && IsA == isA && Outer == outer && K == k;

    private static PackedGemmMatrix? Pack(GemmLayout layout, bool isA, ReadOnlySpan<float> src, int ld, bool trans, int outer, int k)
    {
        if (layout.Isa == GemmIsa.Scalar || outer == 0 || k == 0)
        {
            return null;
        }

        Gemm.CheckOperand(src, ld, isA ? !trans : trans, outer, k, isA ? "A" : "B");
        int width = isA ? layout.Mr : layout.Nr;
        int padded = RoundUp(outer, width);
        var buffer = GemmPacking.AllocatePinned((long)padded * k);
        float* dst = GemmPacking.Align(buffer);
        fixed (float* s = src)
        {
            if (!isA)
            {
                GemmPacking.PackB(s, ld, trans, 0, k, 0, outer, dst, width);
                return new PackedGemmMatrix(layout, isA, outer, k, buffer);
            }

            for (int p0 = 0; p0 < k; p0 += layout.Kc)
            {
                int kc = Math.Min(layout.Kc, k - p0);
                float* block = dst + ((long)p0 * padded);
                if (isA)
                {
                    GemmPacking.PackA(s, ld, trans, 0, outer, p0, kc, block, width);
                }
                else
                {
                    GemmPacking.PackB(s, ld, trans, p0, kc, 0, outer, block, width);
                }
            }
        }

        return new PackedGemmMatrix(layout, isA, outer, k, buffer);
    }

    private static int RoundUp(int v, int m) => (v + m - 1) / m * m;
}
