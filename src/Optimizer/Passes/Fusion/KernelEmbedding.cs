namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>
/// Placing a smaller 2-D convolution kernel inside a larger one so the convolution is unchanged (shared by
/// fuse-repvgg and merge-parallel-convs): a kh x kw kernel with pads p fits a KH x KW kernel with pads P when P − p ≥ 0 on
/// both sides of both axes and P_begin − p_begin + k + P_end − p_end = K; it then sits at (P_top − p_top, P_left − p_left).
/// </summary>
internal static class KernelEmbedding
{
    /// <summary>Where a <paramref name="bh"/> x <paramref name="bw"/> kernel with <paramref name="pads"/> sits in the larger one; null when it does not fit.</summary>
    public static (int Top, int Left)? Offset(long[] refPads, int kh, int kw, long[] pads, int bh, int bw)
    {
        if (refPads.Length != 4 || pads.Length != 4)
        {
            return null;
        }

        long top = refPads[0] - pads[0], left = refPads[1] - pads[1], bottom = refPads[2] - pads[2], right = refPads[3] - pads[3];
        return top < 0 || left < 0 || bottom < 0 || right < 0 || top + bh + bottom != kh || left + bw + right != kw
            ? null
            : ((int)top, (int)left);
    }

    /// <summary>
    /// Adds W [m, cin, bh, bw] into <paramref name="dst"/> [.., cin, kh, kw] from output channel <paramref name="o0"/> on,
    /// at (<paramref name="top"/>, <paramref name="left"/>).
    /// </summary>
    public static void AddInto(ReadOnlySpan<float> w, int m, int cin, int bh, int bw, float[] dst, int o0, int kh, int kw, int top, int left)
    {
        for (int o = 0; o < m; o++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                for (int i = 0; i < bh; i++)
                {
                    for (int j = 0; j < bw; j++)
                    {
                        dst[((((((long)(o0 + o) * cin) + ci) * kh) + i + top) * kw) + j + left] += w[((((o * cin) + ci) * bh) + i) * bw + j];
                    }
                }
            }
        }
    }
}
