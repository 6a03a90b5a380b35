using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Backends.Cpu.Threading;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// Sizes of one Attention call: batch B, heads H, queries S, new keys L, past P (T = P + L), head sizes D / Dv,
/// the layout (packed [B, S, H*D] or head-major [B, H, S, D]), causal masking, the score scale and the mask's element
/// strides over the scores' [B, H, S, T] axes (0 where it broadcasts).
/// </summary>
internal readonly record struct AttentionShape(
    int B, int H, int S, int L, int P, int D, int Dv, bool Packed, bool Causal, float Scale,
    long MaskB, long MaskH, long MaskS, long MaskT)
{
    public int T => P + L;
}

/// <summary>Base addresses of the operands (null for absent optional ones); the caller keeps them pinned.</summary>
internal readonly unsafe struct AttentionPointers(
    float* q, float* k, float* v, float* mask, float* pastK, float* pastV, float* y, float* presentK, float* presentV)
{
    public readonly float* Q = q;
    public readonly float* K = k;
    public readonly float* V = v;
    public readonly float* Mask = mask;
    public readonly float* PastK = pastK;
    public readonly float* PastV = pastV;
    public readonly float* Y = y;
    public readonly float* PresentK = presentK;
    public readonly float* PresentV = presentV;
}

/// <summary>
/// One (b, h) head of <see cref="Attention"/> per item: K'_h = concat(past, K_h) and V'_h are copied into present_*
/// when requested (or into this thread's scratch when a past is given but present_* is not; without a past K and V
/// are read in place with their row stride), scores [S, T] = scale * Q_h K'_h^T (dot products for up to
/// <see cref="DotRows"/> queries, the SGEMM otherwise), each score row gets the mask and causal -inf and is
/// softmaxed in place (all -inf: zeros), and Y_h = A V'_h is written straight into Y with Y's row stride.
/// A decoding step (up to <see cref="DotRows"/> queries, present_* requested) takes <see cref="AttentionDecode"/>.
/// Everything runs on the calling thread; items are independent.
/// </summary>
internal readonly unsafe struct AttentionHead(AttentionShape shape, AttentionPointers ptr) : IParallelWork
{
    /// <summary>Queries up to which scores are dot products instead of a packed SGEMM (decoding).</summary>
    public const int DotRows = 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Invoke(int index)
    {
        var sh = shape;
        int bi = index / sh.H, hi = index % sh.H;
        int s = sh.S, l = sh.L, p = sh.P, t = sh.T, d = sh.D, dv = sh.Dv;

        // Row strides and first rows of this head's Q, new K, new V and Y.
        nint ldq = sh.Packed ? (nint)sh.H * d : d;
        nint ldkn = ldq;
        nint ldvn = sh.Packed ? (nint)sh.H * dv : dv;
        float* q = ptr.Q + (sh.Packed ? ((long)bi * s * sh.H * d) + ((long)hi * d) : (long)index * s * d);
        float* kn = ptr.K + (sh.Packed ? ((long)bi * l * sh.H * d) + ((long)hi * d) : (long)index * l * d);
        float* vn = ptr.V + (sh.Packed ? ((long)bi * l * sh.H * dv) + ((long)hi * dv) : (long)index * l * dv);
        int ldy = sh.Packed ? sh.H * dv : dv;
        float* y = ptr.Y + (sh.Packed ? ((long)bi * s * sh.H * dv) + ((long)hi * dv) : (long)index * s * dv);

        if (s <= DotRows && s > 0 && t > 0 && ptr.PresentK != null && ptr.PresentV != null && AttentionDecode.Supported(d, dv))
        {
            // Decoding: each cached row is read once, copied to present_* and used from registers.
            fixed (float* unaligned = ThreadScratch.Floats((s * t) + 16))
            {
                float* scores = Align64(unaligned);
                AttentionDecode.KeysAndScores(
                    ptr.PastK == null ? null : ptr.PastK + ((long)index * p * d), p, kn, ldkn, t, d, ptr.PresentK + ((long)index * t * d), q, ldq, s, sh.Scale, scores);
                for (int i = 0; i < s; i++)
                {
                    MaskAndSoftmax(new Span<float>(scores + ((long)i * t), t), bi, hi, i);
                }

                AttentionDecode.ValuesAndOutput(
                    ptr.PastV == null ? null : ptr.PastV + ((long)index * p * dv), p, vn, ldvn, t, dv, ptr.PresentV + ((long)index * t * dv), scores, s, y, ldy);
            }

            return;
        }

        bool copyK = ptr.PresentK != null || p > 0;
        bool copyV = ptr.PresentV != null || p > 0;
        int scoreLength = s * t;
        int scratchLength = scoreLength + (copyK && ptr.PresentK == null ? t * d : 0) + (copyV && ptr.PresentV == null ? t * dv : 0);
        fixed (float* unaligned = ThreadScratch.Floats(scratchLength + 16))
        {
            // The scores are the SGEMMs' C and A and the softmax's rows: 64-byte aligned, so whole-vector accesses never
            // split a cache line (the thread's scratch array is only 8-byte aligned).
            float* scratch = Align64(unaligned);
            float* scores = scratch;
            float* next = scratch + scoreLength;
            float* kh = kn;
            nint ldk = ldkn;
            if (copyK)
            {
                kh = ptr.PresentK != null ? ptr.PresentK + ((long)index * t * d) : next;
                next += ptr.PresentK == null ? t * d : 0;
                Concat(ptr.PastK == null ? null : ptr.PastK + ((long)index * p * d), p, kn, ldkn, l, d, kh);
                ldk = d;
            }

            float* vh = vn;
            nint ldv = ldvn;
            if (copyV)
            {
                vh = ptr.PresentV != null ? ptr.PresentV + ((long)index * t * dv) : next;
                Concat(ptr.PastV == null ? null : ptr.PastV + ((long)index * p * dv), p, vn, ldvn, l, dv, vh);
                ldv = dv;
            }

            Scores(q, ldq, kh, ldk, scores);
            for (int i = 0; i < s; i++)
            {
                MaskAndSoftmax(new Span<float>(scores + ((long)i * t), t), bi, hi, i);
            }

            // Y_h [S, Dv] = A [S, T] x V'_h [T, Dv], written with Y's row stride.
            if (s > 0 && dv > 0)
            {
                Blas.Sgemm(
                    false, false, s, dv, t, 1f,
                    new ReadOnlySpan<float>(scores, scoreLength), t,
                    new ReadOnlySpan<float>(vh, Extent(t, ldv, dv)), (int)ldv,
                    0f, new Span<float>(y, Extent(s, ldy, dv)), ldy);
            }
        }
    }

    private static float* Align64(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>Elements spanned by <paramref name="rows"/> rows of <paramref name="cols"/>, <paramref name="ld"/> apart.</summary>
    private static int Extent(int rows, nint ld, int cols) => rows == 0 ? 0 : (int)(((rows - 1) * ld) + cols);

    /// <summary>dst [p + l, width] = past [p, width] (contiguous) followed by the l rows of src (ld apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Concat(float* past, int p, float* src, nint ld, int l, int width, float* dst)
    {
        if (p > 0)
        {
            new ReadOnlySpan<float>(past, p * width).CopyTo(new Span<float>(dst, p * width));
        }

        for (int r = 0; r < l; r++)
        {
            new ReadOnlySpan<float>(src + (r * ld), width).CopyTo(new Span<float>(dst + ((long)(p + r) * width), width));
        }
    }

    /// <summary>scores [S, T] = scale * Q_h [S, D] x K'_h^T (K'_h is [T, D], rows ldk apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Scores(float* q, nint ldq, float* k, nint ldk, float* scores)
    {
        int s = shape.S, t = shape.T, d = shape.D;
        if (s == 0 || t == 0)
        {
            return;
        }

        if (s <= DotRows || d == 0)
        {
            for (int i = 0; i < s; i++)
            {
                var qi = new ReadOnlySpan<float>(q + (i * ldq), d);
                float* row = scores + ((long)i * t);
                for (int j = 0; j < t; j++)
                {
                    row[j] = shape.Scale * TensorPrimitives.Dot(qi, new ReadOnlySpan<float>(k + (j * ldk), d));
                }
            }

            return;
        }

        Blas.Sgemm(
            false, true, s, t, d, shape.Scale,
            new ReadOnlySpan<float>(q, Extent(s, ldq, d)), (int)ldq,
            new ReadOnlySpan<float>(k, Extent(t, ldk, d)), (int)ldk,
            0f, new Span<float>(scores, s * t), t);
    }

    /// <summary>row += mask[b, h, i, :]; causal -inf beyond key i + T - S; row = softmax(row) (all -inf: zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MaskAndSoftmax(Span<float> row, int bi, int hi, int i)
    {
        var sh = shape;
        int t = row.Length;
        if (t == 0)
        {
            return;
        }

        ReadOnlySpan<float> maskRow = default;
        if (ptr.Mask != null)
        {
            float* m = ptr.Mask + (bi * sh.MaskB) + (hi * sh.MaskH) + (i * sh.MaskS);
            if (sh.MaskT == 1)
            {
                // Added by the softmax in its maximum pass.
                maskRow = new ReadOnlySpan<float>(m, t);
            }
            else if (sh.MaskT == 0)
            {
                TensorPrimitives.Add(row, *m, row);
            }
            else
            {
                for (int j = 0; j < t; j++)
                {
                    row[j] += m[j * sh.MaskT];
                }
            }
        }

        if (sh.Causal)
        {
            if (!maskRow.IsEmpty)
            {
                TensorPrimitives.Add(row, maskRow, row);
                maskRow = default;
            }

            row[Math.Clamp(i + t - sh.S + 1, 0, t)..].Fill(float.NegativeInfinity);
        }

        AttentionSoftmax.Run(row, maskRow);
    }
}
