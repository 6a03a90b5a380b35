using System.Runtime.Intrinsics.X86;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>
/// The resolved 2-D geometry of one NCHWc convolution or pooling call, and the window arithmetic its kernels share:
/// which kernel rows / columns of an output pixel fall inside the input, which output columns have every tap inside,
/// the zero-padded plane that holds every tap, and the input rows a later output row will read.
/// </summary>
internal readonly record struct NchwcGeometry(
    int N, int C, int H, int W, int M, int OH, int OW, int KH, int KW, int StrideH, int StrideW, int DilationH, int DilationW, int PadTop, int PadLeft)
{
    public int PlaneIn => H * W;

    public int PlaneOut => OH * OW;

    /// <summary>Whether the output reads outside the input anywhere (so a dense conv needs a zero-padded copy).</summary>
    public bool NeedsPadding =>
        PadTop > 0 || PadLeft > 0
        || ((OH - 1) * StrideH) + ((KH - 1) * DilationH) - PadTop >= H
        || ((OW - 1) * StrideW) + ((KW - 1) * DilationW) - PadLeft >= W;

    /// <summary>1x1, unit stride, no padding: the output plane is one run of pixels over the input plane.</summary>
    public bool IsFlat => KH == 1 && KW == 1 && StrideH == 1 && StrideW == 1 && !NeedsPadding;

    /// <summary>Rows and columns of a zero-padded plane that holds every tap of every output pixel.</summary>
    public (int Hp, int Wp) PaddedSize() =>
        (Math.Max(H + PadTop, ((OH - 1) * StrideH) + ((KH - 1) * DilationH) + 1),
         Math.Max(W + PadLeft, ((OW - 1) * StrideW) + ((KW - 1) * DilationW) + 1));

    /// <summary>Output row <paramref name="oh"/>'s first input row (kernel row 0, may be negative) and its kernel rows [Lo, Hi) inside the input.</summary>
    public (int Ih0, int Lo, int Hi) RowTaps(int oh)
    {
        int ih0 = (oh * StrideH) - PadTop;
        int lo = ih0 >= 0 ? 0 : Math.Min(KH, (-ih0 + DilationH - 1) / DilationH);
        return (ih0, lo, Math.Max(lo, Math.Min(KH, (H - ih0 + DilationH - 1) / DilationH)));
    }

    /// <summary>Output column <paramref name="ow"/>'s first input column (may be negative) and its kernel columns [Lo, Hi) inside the input.</summary>
    public (int Iw0, int Lo, int Hi) ColumnTaps(int ow)
    {
        int iw0 = (ow * StrideW) - PadLeft;
        int lo = iw0 >= 0 ? 0 : Math.Min(KW, (-iw0 + DilationW - 1) / DilationW);
        return (iw0, lo, Math.Max(lo, Math.Min(KW, (W - iw0 + DilationW - 1) / DilationW)));
    }

    /// <summary>The output columns [Lo, Hi) whose every kernel column is inside the input (Hi &gt;= Lo).</summary>
    public (int Lo, int Hi) InteriorColumns()
    {
        int lo = Math.Min(OW, (PadLeft + StrideW - 1) / StrideW);
        int lastStart = W - 1 - ((KW - 1) * DilationW) + PadLeft;
        return (lo, lastStart < 0 ? lo : Math.Clamp((lastStart / StrideW) + 1, lo, OW));
    }

    /// <summary>
    /// Copies one input plane (<paramref name="lanes"/> floats per pixel: 16 blocked, 1 NCHW) into a
    /// <paramref name="hp"/> x <paramref name="wp"/> plane at (PadTop, PadLeft), zeroing the border around it.
    /// </summary>
    public unsafe void CopyPadded(float* src, float* dst, int hp, int wp, int lanes)
    {
        new Span<float>(dst, PadTop * wp * lanes).Clear();
        for (int r = 0; r < H; r++)
        {
            float* row = dst + ((long)(r + PadTop) * wp * lanes);
            new Span<float>(row, PadLeft * lanes).Clear();
            new ReadOnlySpan<float>(src + ((long)r * W * lanes), W * lanes).CopyTo(new Span<float>(row + (PadLeft * lanes), W * lanes));
            new Span<float>(row + ((PadLeft + W) * lanes), (wp - W - PadLeft) * lanes).Clear();
        }

        new Span<float>(dst + ((long)(PadTop + H) * wp * lanes), (hp - H - PadTop) * wp * lanes).Clear();
    }

    /// <summary>
    /// Prefetches, in a blocked plane, the input rows output row <paramref name="oh"/> reads that row oh - 1 did not (the
    /// last stride rows of its window). The window kernels call it a couple of rows ahead: wide planes come from DRAM
    /// after the layer before, and the hardware prefetcher does not keep up with several rows read at a column stride.
    /// </summary>
    public unsafe void PrefetchNewRows(float* xPlane, int oh)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        int ih0 = (oh * StrideH) - PadTop;
        int first = Math.Max(0, ih0 + ((KH - 1) * DilationH) - StrideH + 1);
        int last = Math.Min(H - 1, ih0 + ((KH - 1) * DilationH));
        for (int r = first; r <= last; r++)
        {
            float* row = xPlane + ((long)r * W * NchwcLayout.Block);
            for (int i = 0; i < W * NchwcLayout.Block; i += NchwcLayout.Block)
            {
                Sse.Prefetch0(row + i);
            }
        }
    }
}
