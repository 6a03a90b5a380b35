using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// 2-D float MaxPool along output rows in vectors (column stride 1 or 2, column dilation 1, AVX-512 or AVX2): each plane
/// is copied once into a scratch plane padded with -inf (padding never wins a max), then a vector of outputs is the
/// lane-wise maximum of one contiguous (stride 1) or even-lane (stride 2) load per tap. The maximum is IEEE 754-2019's,
/// so a NaN in the window propagates as in the scalar path. Geometries where a window could lie entirely in the padding
/// (whose output the scalar path defines as 0) are left to the scalar path.
/// </summary>
internal static unsafe class MaxPoolVector
{
    /// <summary>Tests switch the vector path off to compare it with the scalar one.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Runs the pool over <paramref name="planes"/> planes when the geometry and machine allow; false otherwise (nothing written).</summary>
    public static bool TryRun(ConvPlan p, float* x, float* y, int planes, int threads)
    {
        if (!Enabled || !UnaryDriver.AllowVectors || p.Rank != 2 || p.Dilations[1] != 1 || p.Strides[1] is not (1 or 2) || !EveryWindowTouchesInput(p))
        {
            return false;
        }

        int grain = Math.Max(1, (1 << 15) / Math.Max(1, p.OutputSize * p.KernelSize));
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            if (p.Strides[1] == 1)
            {
                ParallelFor.Range(planes, threads, grain, new Work<Vector512<float>, GemmVector512, ColumnStride1>(p, x, y));
            }
            else
            {
                ParallelFor.Range(planes, threads, grain, new Work<Vector512<float>, GemmVector512, ColumnStride2>(p, x, y));
            }

            return true;
        }

        if (Avx2.IsSupported)
        {
            if (p.Strides[1] == 1)
            {
                ParallelFor.Range(planes, threads, grain, new Work<Vector256<float>, GemmVector256, ColumnStride1>(p, x, y));
            }
            else
            {
                ParallelFor.Range(planes, threads, grain, new Work<Vector256<float>, GemmVector256, ColumnStride2>(p, x, y));
            }

            return true;
        }

        return false;
    }

    /// <summary>Whether every window holds at least one input element on both axes (begin pad shorter than the window, last window starting inside).</summary>
    private static bool EveryWindowTouchesInput(ConvPlan p)
    {
        for (int d = 0; d < 2; d++)
        {
            int extent = ((p.Kernel[d] - 1) * p.Dilations[d]) + 1;
            if (p.PadsBegin[d] >= extent || ((p.Output[d] - 1) * p.Strides[d]) - p.PadsBegin[d] > p.Input[d] - 1)
            {
                return false;
            }
        }

        return true;
    }

    private readonly struct Work<TV, TOps, TLoad>(ConvPlan p, float* x, float* y) : IRangeWork
        where TV : struct
        where TOps : struct, IStridedVector<TV>
        where TLoad : struct, IColumnStride
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        [SkipLocalsInit]
        public void Invoke(int start, int end)
        {
            int ih = p.Input[0], iw = p.Input[1], oh = p.Output[0], ow = p.Output[1];
            int kh = p.Kernel[0], kw = p.Kernel[1], sy = p.Strides[0], sx = p.Strides[1], dy = p.Dilations[0];
            int pyb = p.PadsBegin[0], pxb = p.PadsBegin[1];
            int v = TOps.Width;
            var (rowLength, rows) = PaddedPlane.Size(p, v);
            var scratch = ThreadScratch.Floats((rows * rowLength) + v);
            float* tail = stackalloc float[16];
            fixed (float* padded = scratch)
            {
                // The padding is the same for every plane: written once per call, then only the image area is copied.
                new Span<float>(padded, rows * rowLength).Fill(float.NegativeInfinity);
                for (int plane = start; plane < end; plane++)
                {
                    float* xp = x + ((long)plane * p.InputSize);
                    float* yp = y + ((long)plane * p.OutputSize);
                    PaddedPlane.CopyImage<TV, TOps>(p, xp, padded, rowLength);

                    for (int oy = 0; oy < oh; oy++)
                    {
                        float* src = padded + ((long)oy * sy * rowLength);
                        float* yRow = yp + ((long)oy * ow);
                        for (int ox = 0; ox < ow; ox += v)
                        {
                            float* s0 = src + (ox * sx);
                            TV best = TLoad.Load<TV, TOps>(s0);
                            for (int ky = 0; ky < kh; ky++)
                            {
                                float* r = s0 + ((long)ky * dy * rowLength);
                                for (int kx = ky == 0 ? 1 : 0; kx < kw; kx++)
                                {
                                    best = TOps.Max(best, TLoad.Load<TV, TOps>(r + kx));
                                }
                            }

                            if (ox + v <= ow)
                            {
                                TOps.Store(yRow + ox, best);
                            }
                            else
                            {
                                TOps.Store(tail, best);
                                for (int j = 0; j < ow - ox; j++)
                                {
                                    yRow[ox + j] = tail[j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
