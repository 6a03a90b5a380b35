using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// im2col / col2im over N spatial dims. The column matrix has one row per (channel, kernel offset) and one
/// column per output position: col[(c * K + kk), o] = x[c, o * stride - padBegin + kk * dilation] (0 in the
/// padding). Convolution then is W [M, C * K] x col [C * K, outSize]; ConvTranspose scatters the transposed
/// product back with <see cref="Col2ImAdd{T}"/>.
/// </summary>
internal static class Im2Col
{
    /// <summary>Fills <paramref name="col"/> [channels * KernelSize, OutputSize] from <paramref name="x"/> [channels, InputSize].</summary>
    public static void Fill<T>(ReadOnlySpan<T> x, int channels, ConvPlan p, Span<T> col)
        where T : struct
    {
        int rank = p.Rank;
        int last = rank - 1;
        int outInner = p.Output[last];
        int inInner = p.Input[last];
        int strideInner = p.Strides[last];
        Span<int> kk = stackalloc int[rank];
        Span<int> o = stackalloc int[rank];
        for (int c = 0; c < channels; c++)
        {
            var plane = x.Slice(c * p.InputSize, p.InputSize);
            kk.Clear();
            for (int k = 0; k < p.KernelSize; k++)
            {
                var row = col.Slice(((c * p.KernelSize) + k) * p.OutputSize, p.OutputSize);
                int offsetInner = (kk[last] * p.Dilations[last]) - p.PadsBegin[last];
                o.Clear();
                for (int start = 0; start < p.OutputSize; start += outInner)
                {
                    // Outer output dims map to one input row (or to padding).
                    int inRow = 0;
                    bool valid = true;
                    for (int d = 0; d < last; d++)
                    {
                        int i = (o[d] * p.Strides[d]) - p.PadsBegin[d] + (kk[d] * p.Dilations[d]);
                        if ((uint)i >= (uint)p.Input[d])
                        {
                            valid = false;
                            break;
                        }

                        inRow = (inRow * p.Input[d]) + i;
                    }

                    var dst = row.Slice(start, outInner);
                    if (!valid)
                    {
                        dst.Clear();
                    }
                    else
                    {
                        var src = plane.Slice(inRow * inInner, inInner);
                        if (strideInner == 1 && offsetInner == 0 && outInner <= inInner)
                        {
                            src[..outInner].CopyTo(dst);
                        }
                        else
                        {
                            for (int j = 0; j < outInner; j++)
                            {
                                int i = (j * strideInner) + offsetInner;
                                dst[j] = (uint)i < (uint)inInner ? src[i] : default;
                            }
                        }
                    }

                    Next(o, p.Output, last);
                }

                Next(kk, p.Kernel, rank);
            }
        }
    }

    /// <summary>
    /// 2-D <see cref="Fill{T}"/> for float: for each (channel, ky, kx) row and output row, the output columns whose input
    /// column lies inside the image form one interval; it is copied (unit stride) or gathered, the rest zero filled.
    /// </summary>
    /// <remarks>Only output rows [<paramref name="oy0"/>, <paramref name="oy1"/>) (all when oy1 is -1): col is then [channels * K, (oy1 - oy0) * ow].</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill2D(ReadOnlySpan<float> x, int channels, ConvPlan p, Span<float> col, int oy0 = 0, int oy1 = -1)
    {
        int ih = p.Input[0], iw = p.Input[1], ow = p.Output[1];
        int oh = oy1 < 0 ? p.Output[0] : oy1;
        int rowLength = (oh - oy0) * ow;
        int kh = p.Kernel[0], kw = p.Kernel[1];
        int sy = p.Strides[0], sx = p.Strides[1], dy = p.Dilations[0], dx = p.Dilations[1];
        int pyb = p.PadsBegin[0], pxb = p.PadsBegin[1];
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var plane = x.Slice(c * p.InputSize, p.InputSize);
            for (int ky = 0; ky < kh; ky++)
            {
                for (int kx = 0; kx < kw; kx++, row++)
                {
                    var dstRow = col.Slice(row * rowLength, rowLength);
                    int offset = (kx * dx) - pxb;
                    int lo = Math.Min(ow, offset >= 0 ? 0 : (-offset + sx - 1) / sx);
                    int hi = Math.Max(lo, Math.Min(ow, iw - offset <= 0 ? 0 : ((iw - offset - 1) / sx) + 1));
                    for (int oy = oy0; oy < oh; oy++)
                    {
                        var dst = dstRow.Slice((oy - oy0) * ow, ow);
                        int iy = (oy * sy) - pyb + (ky * dy);
                        if ((uint)iy >= (uint)ih)
                        {
                            dst.Clear();
                            continue;
                        }

                        var src = plane.Slice(iy * iw, iw);
                        dst[..lo].Clear();
                        if (sx == 1)
                        {
                            src.Slice(lo + offset, hi - lo).CopyTo(dst[lo..hi]);
                        }
                        else
                        {
                            Gather(src, dst, lo, hi, sx, offset);
                        }

                        dst[hi..].Clear();
                    }
                }
            }
        }
    }

    /// <summary>dst[ox] = src[ox * stride + offset] for ox in [lo, hi), all of which index inside src (checked once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Gather(ReadOnlySpan<float> src, Span<float> dst, int lo, int hi, int stride, int offset)
    {
        if (lo >= hi)
        {
            return;
        }

        if ((uint)((lo * stride) + offset) >= (uint)src.Length || (uint)(((hi - 1) * stride) + offset) >= (uint)src.Length || (uint)hi > (uint)dst.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(hi), "im2col gather window leaves the input row");
        }

        fixed (float* ps = src)
        fixed (float* pd = dst)
        {
            float* s = ps + (lo * stride) + offset;
            int ox = lo;
            if (stride == 2 && UnaryDriver.AllowVectors)
            {
                // Vectors of even lanes; a vector reads 2 * width floats, so it stops where that would leave the row.
                int end = hi;
                while (end > ox && ((end - 1) * 2) + offset + 1 >= src.Length)
                {
                    end--;
                }

                if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
                {
                    for (; ox + 16 <= end; ox += 16, s += 32)
                    {
                        GemmVector512.Store(pd + ox, GemmVector512.LoadEven(s));
                    }
                }
                else if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
                {
                    for (; ox + 8 <= end; ox += 8, s += 16)
                    {
                        GemmVector256.Store(pd + ox, GemmVector256.LoadEven(s));
                    }
                }
            }

            for (; ox < hi; ox++, s += stride)
            {
                pd[ox] = *s;
            }
        }
    }

    /// <summary>
    /// y [channels, OutputSize'] += col2im(col [channels * KernelSize, InputSize']) for ConvTranspose, where the roles
    /// swap: the col columns walk the transposed input (<paramref name="p"/>.Input) and the scatter target is
    /// <paramref name="p"/>.Output: y[c, i * stride - padBegin + kk * dilation] += col[(c * K + kk), i].
    /// </summary>
    public static void Col2ImAdd<T>(ReadOnlySpan<T> col, int channels, ConvPlan p, Span<T> y)
        where T : struct, System.Numerics.IAdditionOperators<T, T, T>
    {
        int rank = p.Rank;
        int last = rank - 1;
        int inInner = p.Input[last];
        int outInner = p.Output[last];
        int strideInner = p.Strides[last];
        Span<int> kk = stackalloc int[rank];
        Span<int> i = stackalloc int[rank];
        for (int c = 0; c < channels; c++)
        {
            var plane = y.Slice(c * p.OutputSize, p.OutputSize);
            kk.Clear();
            for (int k = 0; k < p.KernelSize; k++)
            {
                var row = col.Slice(((c * p.KernelSize) + k) * p.InputSize, p.InputSize);
                int offsetInner = (kk[last] * p.Dilations[last]) - p.PadsBegin[last];
                i.Clear();
                for (int start = 0; start < p.InputSize; start += inInner)
                {
                    int outRow = 0;
                    bool valid = true;
                    for (int d = 0; d < last; d++)
                    {
                        int od = (i[d] * p.Strides[d]) - p.PadsBegin[d] + (kk[d] * p.Dilations[d]);
                        if ((uint)od >= (uint)p.Output[d])
                        {
                            valid = false;
                            break;
                        }

                        outRow = (outRow * p.Output[d]) + od;
                    }

                    if (valid)
                    {
                        var src = row.Slice(start, inInner);
                        var dst = plane.Slice(outRow * outInner, outInner);
                        for (int j = 0; j < inInner; j++)
                        {
                            int od = (j * strideInner) + offsetInner;
                            if ((uint)od < (uint)outInner)
                            {
                                dst[od] += src[j];
                            }
                        }
                    }

                    Next(i, p.Input, last);
                }

                Next(kk, p.Kernel, rank);
            }
        }
    }

    /// <summary>Advances an odometer over the first <paramref name="count"/> dims (last fastest).</summary>
    private static void Next(Span<int> index, int[] dims, int count)
    {
        for (int d = count - 1; d >= 0; d--)
        {
            if (++index[d] < dims[d])
            {
                return;
            }

            index[d] = 0;
        }
    }
}
