using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// The decoding step of one attention head (a few queries against a KV cache) in two streaming passes that read
/// each cached row once: pass 1 copies row j of K' = past ++ K into present_key and, from the same registers,
/// scores[i, j] = scale * q_i . K'_j; pass 2 (after the caller's softmax) copies row j of V' into present_value and
/// adds A[i, j] * V'_j into Y's rows. present_* are written with non-temporal stores when 64-byte aligned (nothing
/// reads them again in this step, and it saves reading their lines first), then fenced. Vector512 lanes; head sizes
/// must be multiples of 16 (<see cref="Supported"/>).
/// </summary>
internal static unsafe class AttentionDecode
{
    public static bool Supported(int d, int dv) =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Simd.UnaryDriver.AllowVectors && d % 16 == 0 && dv % 16 == 0 && d > 0 && dv > 0;

    /// <summary>Row j of concat(past [p, width], src rows ld apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Row(float* past, int p, float* src, nint ld, int width, int j) =>
        j < p ? past + ((long)j * width) : src + ((j - p) * ld);

    /// <summary>Pass 1: present_key rows and scores [s, t] (row stride t) for queries q (rows ldq apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void KeysAndScores(float* pastK, int p, float* kn, nint ldkn, int t, int d, float* presentK, float* q, nint ldq, int s, float scale, float* scores)
    {
        bool nt = ((nint)presentK & 63) == 0;
        for (int j = 0; j < t; j++)
        {
            float* src = Row(pastK, p, kn, ldkn, d, j);
            float* dst = presentK + ((long)j * d);
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            var a2 = Vector512<float>.Zero;
            var a3 = Vector512<float>.Zero;
            for (int c = 0; c < d; c += 16)
            {
                var v = Vector512.Load(src + c);
                Store(dst + c, v, nt);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(q + c), a0);
                if (s > 1)
                {
                    a1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(q + ldq + c), a1);
                }

                if (s > 2)
                {
                    a2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(q + (2 * ldq) + c), a2);
                }

                if (s > 3)
                {
                    a3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(q + (3 * ldq) + c), a3);
                }
            }

            scores[j] = scale * Vector512.Sum(a0);
            if (s > 1)
            {
                scores[t + j] = scale * Vector512.Sum(a1);
            }

            if (s > 2)
            {
                scores[(2 * t) + j] = scale * Vector512.Sum(a2);
            }

            if (s > 3)
            {
                scores[(3 * t) + j] = scale * Vector512.Sum(a3);
            }
        }

        if (nt)
        {
            Sse.StoreFence();
        }
    }

    /// <summary>Pass 2: present_value rows and Y [s, dv] (rows ldy apart) = A [s, t] (row stride t) x V'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ValuesAndOutput(float* pastV, int p, float* vn, nint ldvn, int t, int dv, float* presentV, float* a, int s, float* y, nint ldy)
    {
        bool nt = ((nint)presentV & 63) == 0;
        for (int i = 0; i < s; i++)
        {
            new Span<float>(y + (i * ldy), dv).Clear();
        }

        for (int j = 0; j < t; j++)
        {
            float* src = Row(pastV, p, vn, ldvn, dv, j);
            float* dst = presentV + ((long)j * dv);
            for (int c = 0; c < dv; c += 16)
            {
                var v = Vector512.Load(src + c);
                Store(dst + c, v, nt);
                for (int i = 0; i < s; i++)
                {
                    float* yi = y + (i * ldy) + c;
                    Vector512.FusedMultiplyAdd(Vector512.Create(a[(i * t) + j]), v, Vector512.Load(yi)).Store(yi);
                }
            }
        }

        if (nt)
        {
            Sse.StoreFence();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, Vector512<float> v, bool nonTemporal)
    {
        if (nonTemporal)
        {
            Avx512F.StoreAlignedNonTemporal(dst, v);
        }
        else
        {
            v.Store(dst);
        }
    }
}
