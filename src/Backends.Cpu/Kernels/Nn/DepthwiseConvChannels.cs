using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// The depthwise path for small planes (late layers: 14 x 14, 7 x 7 with hundreds of channels), vectorized across
/// channels instead of along a row: a row of 7 outputs fills less than half a vector and the per-plane setup of the
/// row-vector paths costs more than the arithmetic. Blocks of W channels (W = vector width) are interleaved into a
/// zero-padded scratch [Hp, Wp, W], so every tap of every output is one vector multiply-add over the block's channels
/// with the tap's W weights; results are written back channel by channel with the epilogue. Any stride and dilation.
/// </summary>
internal static unsafe partial class DepthwiseConv
{
    /// <summary>
    /// Planes with fewer output columns than this (and at most <see cref="MaxChannelPathPlane"/> outputs) take the channel
    /// path. Measured on one thread (AVX-512): 960 channels of 7 x 7, 70 us vs 101 us on the row path; 576 of 14 x 14 at
    /// stride 1, 207 vs 158 us (the interleaving copies cost more than the half-empty row vectors save), so 14-wide rows stay.
    /// </summary>
    private const int ChannelPathMaxWidth = 10;

    private const int MaxChannelPathPlane = 1024;

    /// <summary>Tests and benchmarks switch the channel-vectorized path off.</summary>
    internal static bool AllowChannelPath { get; set; } = true;

    private static bool UsesChannelPath(ConvPlan p) =>
        AllowChannelPath && p.Output[1] < ChannelPathMaxWidth && p.OutputSize <= MaxChannelPathPlane;

    /// <summary>One block of channels [c0, c0 + W) of image <paramref name="img"/>.</summary>
    private readonly struct ChannelBlockWork<TV, TOps>(
        ConvPlan p, int channels, int blocksPerImage, float* x, float* w, float* bias, float* y, float* residual, GemmClamp clamp, GemmPostOp? post) : IParallelWork
        where TV : struct
        where TOps : struct, IStridedVector<TV>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        [SkipLocalsInit]
        public void Invoke(int index)
        {
            int v = TOps.Width;
            int img = index / blocksPerImage;
            int c0 = index % blocksPerImage * v;
            int count = Math.Min(v, channels - c0);
            int ih = p.Input[0], iw = p.Input[1], oh = p.Output[0], ow = p.Output[1];
            int kh = p.Kernel[0], kw = p.Kernel[1], taps = kh * kw;
            int sy = p.Strides[0], sx = p.Strides[1], dy = p.Dilations[0], dx = p.Dilations[1];
            int pyb = p.PadsBegin[0], pxb = p.PadsBegin[1];

            // Padded extent: every tap of every output lands inside [0, hp) x [0, wp).
            int hp = Math.Max(pyb + ih, ((oh - 1) * sy) + ((kh - 1) * dy) + 1);
            int wp = Math.Max(pxb + iw, ((ow - 1) * sx) + ((kw - 1) * dx) + 1);
            int inFloats = hp * wp * v, outFloats = oh * ow * v;
            var scratch = ThreadScratch.Floats(inFloats + outFloats + ((taps + 1) * v) + 16);
            fixed (float* s = scratch)
            {
                float* xb = s;
                float* yb = xb + inFloats;
                float* wb = yb + outFloats;
                new Span<float>(xb, inFloats).Clear();
                new Span<float>(wb, (taps + 1) * v).Clear();
                long plane = (long)ih * iw;
                for (int cc = 0; cc < count; cc++)
                {
                    long ch = ((long)img * channels) + c0 + cc;
                    float* src = x + (ch * plane);
                    for (int iy = 0; iy < ih; iy++)
                    {
                        float* dst = xb + ((((iy + pyb) * wp) + pxb) * v) + cc;
                        float* row = src + ((long)iy * iw);
                        for (int ix = 0; ix < iw; ix++)
                        {
                            dst[ix * v] = row[ix];
                        }
                    }

                    float* wc = w + ((long)(c0 + cc) * taps);
                    for (int t = 0; t < taps; t++)
                    {
                        wb[(t * v) + cc] = wc[t];
                    }

                    wb[(taps * v) + cc] = bias == null ? 0f : bias[c0 + cc];
                }

                TV b = TOps.Load(wb + (taps * v));
                int rowStep = sy * wp * v, tapRow = dy * wp * v, colStep = sx * v, tapCol = dx * v;
                for (int oy = 0; oy < oh; oy++)
                {
                    float* inRow = xb + ((long)oy * rowStep);
                    float* outRow = yb + ((long)oy * ow * v);
                    int ox = 0;

                    // Four outputs at a time: independent multiply-add chains.
                    for (; ox + 4 <= ow; ox += 4)
                    {
                        TV a0 = b, a1 = b, a2 = b, a3 = b;
                        float* at = inRow + (ox * colStep);
                        for (int ky = 0; ky < kh; ky++)
                        {
                            float* r = at + (ky * tapRow);
                            float* wr = wb + (ky * kw * v);
                            for (int kx = 0; kx < kw; kx++)
                            {
                                TV wv = TOps.Load(wr + (kx * v));
                                float* q = r + (kx * tapCol);
                                a0 = TOps.MultiplyAdd(wv, TOps.Load(q), a0);
                                a1 = TOps.MultiplyAdd(wv, TOps.Load(q + colStep), a1);
                                a2 = TOps.MultiplyAdd(wv, TOps.Load(q + (2 * colStep)), a2);
                                a3 = TOps.MultiplyAdd(wv, TOps.Load(q + (3 * colStep)), a3);
                            }
                        }

                        TOps.Store(outRow + (ox * v), a0);
                        TOps.Store(outRow + ((ox + 1) * v), a1);
                        TOps.Store(outRow + ((ox + 2) * v), a2);
                        TOps.Store(outRow + ((ox + 3) * v), a3);
                    }

                    for (; ox < ow; ox++)
                    {
                        TV a0 = b;
                        float* at = inRow + (ox * colStep);
                        for (int ky = 0; ky < kh; ky++)
                        {
                            float* r = at + (ky * tapRow);
                            float* wr = wb + (ky * kw * v);
                            for (int kx = 0; kx < kw; kx++)
                            {
                                a0 = TOps.MultiplyAdd(TOps.Load(wr + (kx * v)), TOps.Load(r + (kx * tapCol)), a0);
                            }
                        }

                        TOps.Store(outRow + (ox * v), a0);
                    }
                }

                // Back to planes, with the residual and the clamp; the post-op per finished plane.
                int size = oh * ow;
                for (int cc = 0; cc < count; cc++)
                {
                    long offset = (((long)img * channels) + c0 + cc) * size;
                    float* dst = y + offset;
                    float* z = residual == null ? null : residual + offset;
                    for (int i = 0; i < size; i++)
                    {
                        float value = yb[(i * v) + cc] + (z == null ? 0f : z[i]);
                        dst[i] = clamp.Enabled ? MathF.Min(MathF.Max(value, clamp.Lo), clamp.Hi) : value;
                    }

                    post?.Apply(new Span<float>(dst, size));
                }
            }
        }
    }
}
