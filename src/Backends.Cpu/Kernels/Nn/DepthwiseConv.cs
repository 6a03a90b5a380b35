using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// 2-D depthwise convolution (group == C == M, one filter per channel):
/// Y[n, c, oy, ox] = B[c] + sum over ky, kx of W[c, ky, kx] * X[n, c, oy * sy - py + ky * dy, ox * sx - px + kx * dx].
/// Each output row is built from kernel-tap rows: for a tap, the output columns whose input column is inside the image
/// form one interval [lo, hi); with unit stride the tap is a vector multiply-add of a contiguous input run
/// (TensorPrimitives), otherwise a strided scalar loop. Planes (n, c) run in parallel.
/// </summary>
internal static unsafe class DepthwiseConv
{
    public static void Run(ConvPlan p, int n, int c, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, int threads)
    {
        fixed (float* px = x)
        fixed (float* pw = w)
        fixed (float* pb = bias)
        fixed (float* py = y)
        {
            long perPlane = (long)p.OutputSize * p.KernelSize;
            ParallelFor.Range(n * c, threads, (int)Math.Max(1, (1L << 14) / Math.Max(1, perPlane)), new PlaneWork(p, c, px, pw, bias.IsEmpty ? null : pb, py));
        }
    }

    private readonly struct PlaneWork(ConvPlan p, int channels, float* x, float* w, float* bias, float* y) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            for (int plane = start; plane < end; plane++)
            {
                int ch = plane % channels;
                RunPlane(
                    new ReadOnlySpan<float>(x + ((long)plane * p.InputSize), p.InputSize),
                    new ReadOnlySpan<float>(w + ((long)ch * p.KernelSize), p.KernelSize),
                    bias == null ? 0f : bias[ch],
                    new Span<float>(y + ((long)plane * p.OutputSize), p.OutputSize));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunPlane(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float bias, Span<float> y)
        {
            int ih = p.Input[0], iw = p.Input[1], oh = p.Output[0], ow = p.Output[1];
            int kh = p.Kernel[0], kw = p.Kernel[1];
            int sy = p.Strides[0], sx = p.Strides[1], dy = p.Dilations[0], dx = p.Dilations[1];
            int pyb = p.PadsBegin[0], pxb = p.PadsBegin[1];
            y.Fill(bias);
            for (int oy = 0; oy < oh; oy++)
            {
                var yrow = y.Slice(oy * ow, ow);
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = (oy * sy) - pyb + (ky * dy);
                    if ((uint)iy >= (uint)ih)
                    {
                        continue;
                    }

                    var xrow = x.Slice(iy * iw, iw);
                    for (int kx = 0; kx < kw; kx++)
                    {
                        float wv = w[(ky * kw) + kx];
                        int offset = (kx * dx) - pxb;

                        // Valid ox: 0 <= ox * sx + offset < iw.
                        int lo = offset >= 0 ? 0 : (-offset + sx - 1) / sx;
                        int hi = Math.Min(ow, iw - offset <= 0 ? 0 : ((iw - offset - 1) / sx) + 1);
                        if (lo >= hi)
                        {
                            continue;
                        }

                        if (sx == 1)
                        {
                            var dst = yrow[lo..hi];
                            TensorPrimitives.MultiplyAdd(xrow.Slice(lo + offset, hi - lo), wv, dst, dst);
                        }
                        else
                        {
                            for (int ox = lo; ox < hi; ox++)
                            {
                                yrow[ox] += wv * xrow[(ox * sx) + offset];
                            }
                        }
                    }
                }
            }
        }
    }
}
