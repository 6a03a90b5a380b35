using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// The depthwise fast path without a padded copy, for planes wide enough to hold at least one vector of interior
/// columns. Interior columns [lo, hi) are those whose every tap read (plus the one extra element of a stride-2 even-lane
/// load) falls inside the input row, so their vectors read X in place; the last vector of a row is shifted back to end at
/// hi and recomputes a few columns (same values) instead of needing a partial vector. Interior rows (every tap row
/// inside the image) run four output rows per pass; border rows check each tap row, and the few border columns
/// (the padding's width) are computed one by one. Saves the copy of the input plane, which for a stride-2 layer is four
/// times the size of its output; used at column stride 2 only (at stride 1 the scalar border columns cost more than the
/// cache-resident copy: 32 planes of 112 x 112, 210 vs 168 us on one thread).
/// </summary>
internal static unsafe partial class DepthwiseConv
{
    /// <summary>Output columns [Lo, Hi) whose tap reads stay inside the input row.</summary>
    internal static (int Lo, int Hi) InteriorColumns(ConvPlan p)
    {
        int iw = p.Input[1], ow = p.Output[1], kw = p.Kernel[1], sx = p.Strides[1], pxb = p.PadsBegin[1];
        int lo = Math.Min(ow, (pxb + sx - 1) / sx);
        int lastRead = kw - 1 + (sx == 2 ? 1 : 0);
        int room = iw - 1 - lastRead + pxb;
        int hi = room < 0 ? 0 : Math.Min(ow, (room / sx) + 1);
        return (lo, Math.Max(lo, hi));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void RunDirect<TV, TOps, TLoad>(ConvPlan p, float* x, float* w, float bias, float* y, float* residual, GemmClamp clamp, GemmPostOp? post)
        where TV : struct
        where TOps : struct, IStridedVector<TV>
        where TLoad : struct, IColumnStride
    {
        int ih = p.Input[0], iw = p.Input[1], oh = p.Output[0], ow = p.Output[1];
        int kh = p.Kernel[0], kw = p.Kernel[1];
        int sy = p.Strides[0], sx = p.Strides[1], dy = p.Dilations[0];
        int pyb = p.PadsBegin[0], pxb = p.PadsBegin[1];
        int v = TOps.Width;
        var (lo, hi) = InteriorColumns(p);
        var epilogue = new DepthwiseEpilogue<TV, TOps>(bias, clamp);
        var border = new BorderGeometry(p);

        // Rows whose every tap row is inside the image.
        int oyLo = Math.Min(oh, (pyb + sy - 1) / sy);
        int room = ih - 1 - ((kh - 1) * dy) + pyb;
        int oyHi = Math.Max(oyLo, room < 0 ? 0 : Math.Min(oh, (room / sy) + 1));
        long rowStep = (long)sy * iw, tapStep = (long)dy * iw;

        for (int oy = 0; oy < oh; oy++)
        {
            if (oy >= oyLo && oy + 4 <= oyHi)
            {
                // Four interior rows: four independent multiply-add chains per tap.
                for (int j = 0; ; j += v)
                {
                    int ox = Math.Min(lo + j, hi - v);
                    TV a0 = epilogue.Bias, a1 = a0, a2 = a0, a3 = a0;
                    float* src = x + (((oy * sy) - pyb) * (long)iw) + ((ox * sx) - pxb);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        float* s0 = src + (ky * tapStep);
                        float* wr = w + (ky * kw);
                        for (int kx = 0; kx < kw; kx++)
                        {
                            TV wv = TOps.Broadcast(wr[kx]);
                            float* s = s0 + kx;
                            a0 = TOps.MultiplyAdd(wv, TLoad.Load<TV, TOps>(s), a0);
                            a1 = TOps.MultiplyAdd(wv, TLoad.Load<TV, TOps>(s + rowStep), a1);
                            a2 = TOps.MultiplyAdd(wv, TLoad.Load<TV, TOps>(s + (2 * rowStep)), a2);
                            a3 = TOps.MultiplyAdd(wv, TLoad.Load<TV, TOps>(s + (3 * rowStep)), a3);
                        }
                    }

                    long at = ((long)oy * ow) + ox;
                    float* z = residual == null ? null : residual + at;
                    epilogue.Store(a0, y + at, z);
                    epilogue.Store(a1, y + at + ow, z == null ? null : z + ow);
                    epilogue.Store(a2, y + at + (2 * ow), z == null ? null : z + (2 * ow));
                    epilogue.Store(a3, y + at + (3 * ow), z == null ? null : z + (3 * ow));
                    if (ox == hi - v)
                    {
                        break;
                    }
                }

                for (int r = 0; r < 4; r++)
                {
                    BorderColumns(border, x, w, bias, y, residual, clamp, oy + r, lo, hi);
                    post?.Apply(new Span<float>(y + ((long)(oy + r) * ow), ow));
                }

                oy += 3;
                continue;
            }

            // One row, tap rows checked (border rows, or interior rows left over from the groups of four).
            for (int j = 0; ; j += v)
            {
                int ox = Math.Min(lo + j, hi - v);
                TV a0 = epilogue.Bias;
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = (oy * sy) - pyb + (ky * dy);
                    if ((uint)iy >= (uint)ih)
                    {
                        continue;
                    }

                    float* s0 = x + ((long)iy * iw) + ((ox * sx) - pxb);
                    float* wr = w + (ky * kw);
                    for (int kx = 0; kx < kw; kx++)
                    {
                        a0 = TOps.MultiplyAdd(TOps.Broadcast(wr[kx]), TLoad.Load<TV, TOps>(s0 + kx), a0);
                    }
                }

                long at = ((long)oy * ow) + ox;
                epilogue.Store(a0, y + at, residual == null ? null : residual + at);
                if (ox == hi - v)
                {
                    break;
                }
            }

            BorderColumns(border, x, w, bias, y, residual, clamp, oy, lo, hi);
            post?.Apply(new Span<float>(y + ((long)oy * ow), ow));
        }
    }

    /// <summary>The plane geometry as plain integers for the per-column border code.</summary>
    private readonly struct BorderGeometry(ConvPlan p)
    {
        public readonly int Ih = p.Input[0], Iw = p.Input[1], Ow = p.Output[1], Kh = p.Kernel[0], Kw = p.Kernel[1];
        public readonly int Sy = p.Strides[0], Sx = p.Strides[1], Dy = p.Dilations[0], Dx = p.Dilations[1];
        public readonly int Pyb = p.PadsBegin[0], Pxb = p.PadsBegin[1];
    }

    /// <summary>Output columns [0, lo) and [hi, ow) of row <paramref name="oy"/>, one at a time with every tap checked.</summary>
    private static void BorderColumns(in BorderGeometry g, float* x, float* w, float bias, float* y, float* residual, GemmClamp clamp, int oy, int lo, int hi)
    {
        for (int ox = 0; ox < lo; ox++)
        {
            BorderColumn(g, x, w, bias, y, residual, clamp, oy, ox);
        }

        for (int ox = hi; ox < g.Ow; ox++)
        {
            BorderColumn(g, x, w, bias, y, residual, clamp, oy, ox);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BorderColumn(in BorderGeometry g, float* x, float* w, float bias, float* y, float* residual, GemmClamp clamp, int oy, int ox)
    {
        float sum = bias;
        int iy0 = (oy * g.Sy) - g.Pyb, ix0 = (ox * g.Sx) - g.Pxb;
        for (int ky = 0; ky < g.Kh; ky++)
        {
            int iy = iy0 + (ky * g.Dy);
            if ((uint)iy >= (uint)g.Ih)
            {
                continue;
            }

            float* row = x + ((long)iy * g.Iw);
            float* wr = w + (ky * g.Kw);
            for (int kx = 0; kx < g.Kw; kx++)
            {
                int ix = ix0 + (kx * g.Dx);
                if ((uint)ix < (uint)g.Iw)
                {
                    sum += wr[kx] * row[ix];
                }
            }
        }

        long at = ((long)oy * g.Ow) + ox;
        if (residual != null)
        {
            sum += residual[at];
        }

        y[at] = clamp.Enabled ? MathF.Min(MathF.Max(sum, clamp.Lo), clamp.Hi) : sum;
    }
}
