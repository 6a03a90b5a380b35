using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// 2-D depthwise convolution (group == C == M, one filter per channel):
/// Y[n, c, oy, ox] = act(B[c] + sum over ky, kx of W[c, ky, kx] * X[n, c, oy * sy - py + ky * dy, ox * sx - px + kx * dx] + Z[n, c, oy, ox]),
/// the residual Z and the activation coming from the fused epilogue (<see cref="ConvFinalOps"/>). Planes (n, c) run in parallel.
/// <para>
/// Fast path (column stride 1 or 2, column dilation 1, AVX-512 or AVX2): the plane is copied once into a scratch
/// plane whose rows carry the left/right zero padding, then each output row is a run of vectors: per vector of
/// outputs, one multiply-add per tap from a contiguous load (stride 1) or an even-lane gather of two loads (stride 2),
/// and the epilogue applied before the single store. Other geometries use the tap-interval path: per tap the output
/// columns whose input column is inside the image form one interval, a vector multiply-add (TensorPrimitives) with
/// unit stride or a strided scalar loop otherwise, and the epilogue as a pass over the finished plane.
/// </para>
/// </summary>
internal static unsafe partial class DepthwiseConv
{
    /// <summary>Tests switch the fast path off to compare it with the tap-interval path.</summary>
    internal static bool AllowFastPath { get; set; } = true;

    /// <summary>Tests and benchmarks switch the in-place (no padded copy) variant of the fast path off.</summary>
    internal static bool AllowDirectPath { get; set; } = true;

    public static void Run(ConvPlan p, int n, int c, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, int threads, in ConvFinalOps final = default)
    {
        if (!final.Residual.IsEmpty && final.Residual.Length < y.Length)
        {
            throw new ArgumentException($"depthwise residual of {final.Residual.Length} elements is smaller than the output ({y.Length})");
        }

        fixed (float* px = x)
        fixed (float* pw = w)
        fixed (float* pb = bias)
        fixed (float* py = y)
        fixed (float* pz = final.Residual)
        {
            int isa = FastIsa(p);
            if (isa != 0 && UsesChannelPath(p))
            {
                int width = isa == 512 ? 16 : 8;
                int blocks = (c + width - 1) / width;
                float* pbias = bias.IsEmpty ? null : pb, pres = final.Residual.IsEmpty ? null : pz;
                if (isa == 512)
                {
                    ParallelFor.Run(n * blocks, threads, new ChannelBlockWork<Vector512<float>, GemmVector512>(p, c, blocks, px, pw, pbias, py, pres, final.Clamp, final.Post));
                }
                else
                {
                    ParallelFor.Run(n * blocks, threads, new ChannelBlockWork<Vector256<float>, GemmVector256>(p, c, blocks, px, pw, pbias, py, pres, final.Clamp, final.Post));
                }

                return;
            }

            long perPlane = (long)p.OutputSize * p.KernelSize;
            var work = new PlaneWork(p, c, px, pw, bias.IsEmpty ? null : pb, py, final.Residual.IsEmpty ? null : pz, final.Clamp, final.Post, isa);
            ParallelFor.Range(n * c, threads, (int)Math.Max(1, (1L << 14) / Math.Max(1, perPlane)), work);
        }
    }

    /// <summary>0 = tap-interval path, 512 / 256 = vector width of the fast path for this geometry on this machine.</summary>
    private static int FastIsa(ConvPlan p)
    {
        if (!AllowFastPath || !UnaryDriver.AllowVectors || p.Dilations[1] != 1 || p.Strides[1] is not (1 or 2))
        {
            return 0;
        }

        return Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? 512 : Avx2.IsSupported && Fma.IsSupported ? 256 : 0;
    }

    private readonly struct PlaneWork(
        ConvPlan p, int channels, float* x, float* w, float* bias, float* y, float* residual, GemmClamp clamp, GemmPostOp? post, int isa) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            var (lo, hi) = InteriorColumns(p);
            int interior = hi - lo;
            bool paddingReady = false;
            for (int plane = start; plane < end; plane++)
            {
                int ch = plane % channels;
                float* xp = x + ((long)plane * p.InputSize);
                float* wp = w + ((long)ch * p.KernelSize);
                float b = bias == null ? 0f : bias[ch];
                float* yp = y + ((long)plane * p.OutputSize);
                float* zp = residual == null ? null : residual + ((long)plane * p.OutputSize);
                // In place only at column stride 2: there the padded copy is four times the output; at stride 1 the
                // copy (cache-resident) costs less than computing the border columns one by one.
                bool direct = AllowDirectPath && p.Strides[1] == 2 && interior >= (isa == 512 ? 16 : 8);
                switch (isa)
                {
                    case 512 when direct && p.Strides[1] == 1:
                        RunDirect<Vector512<float>, GemmVector512, ColumnStride1>(p, xp, wp, b, yp, zp, clamp, post);
                        break;
                    case 512 when direct:
                        RunDirect<Vector512<float>, GemmVector512, ColumnStride2>(p, xp, wp, b, yp, zp, clamp, post);
                        break;
                    case 256 when direct && p.Strides[1] == 1:
                        RunDirect<Vector256<float>, GemmVector256, ColumnStride1>(p, xp, wp, b, yp, zp, clamp, post);
                        break;
                    case 256 when direct:
                        RunDirect<Vector256<float>, GemmVector256, ColumnStride2>(p, xp, wp, b, yp, zp, clamp, post);
                        break;
                    case 512 when p.Strides[1] == 1:
                        RunFast<Vector512<float>, GemmVector512, ColumnStride1>(p, xp, wp, b, yp, zp, clamp, post, ref paddingReady);
                        break;
                    case 512:
                        RunFast<Vector512<float>, GemmVector512, ColumnStride2>(p, xp, wp, b, yp, zp, clamp, post, ref paddingReady);
                        break;
                    case 256 when p.Strides[1] == 1:
                        RunFast<Vector256<float>, GemmVector256, ColumnStride1>(p, xp, wp, b, yp, zp, clamp, post, ref paddingReady);
                        break;
                    case 256:
                        RunFast<Vector256<float>, GemmVector256, ColumnStride2>(p, xp, wp, b, yp, zp, clamp, post, ref paddingReady);
                        break;
                    default:
                        RunIntervals(p, xp, wp, b, yp);
                        FinishPlane(new Span<float>(yp, p.OutputSize), zp, clamp, post);
                        break;
                }
            }
        }
    }

    /// <summary>Residual, clamp and post-op over a finished plane (tap-interval path).</summary>
    private static void FinishPlane(Span<float> y, float* residual, GemmClamp clamp, GemmPostOp? post)
    {
        if (residual != null)
        {
            TensorPrimitives.Add(y, new ReadOnlySpan<float>(residual, y.Length), y);
        }

        if (clamp.Enabled)
        {
            TensorPrimitives.Max(y, clamp.Lo, y);
            TensorPrimitives.Min(y, clamp.Hi, y);
        }

        post?.Apply(y);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void RunFast<TV, TOps, TLoad>(ConvPlan p, float* x, float* w, float bias, float* y, float* residual, GemmClamp clamp, GemmPostOp? post, ref bool paddingReady)
        where TV : struct
        where TOps : struct, IStridedVector<TV>
        where TLoad : struct, IColumnStride
    {
        int ih = p.Input[0], iw = p.Input[1], oh = p.Output[0], ow = p.Output[1];
        int kh = p.Kernel[0], kw = p.Kernel[1];
        int sy = p.Strides[0], sx = p.Strides[1], dy = p.Dilations[0];
        int pyb = p.PadsBegin[0], pxb = p.PadsBegin[1];
        int v = TOps.Width;

        var (rowLength, rows) = PaddedPlane.Size(p, v);
        var scratch = ThreadScratch.Floats((rows * rowLength) + v);
        fixed (float* padded = scratch)
        {
            // The zero border is the same for every plane of the call: cleared once, then only the image is copied
            // (small late-layer planes would otherwise spend more on clearing than on the convolution).
            if (!paddingReady)
            {
                new Span<float>(padded, rows * rowLength).Clear();
                paddingReady = true;
            }

            PaddedPlane.CopyImage<TV, TOps>(p, x, padded, rowLength);

            // With at least one vector per row, the last vector is shifted back to end at the row's end (it recomputes
            // a few outputs, identically) instead of being stored partially.
            int lastFull = ow >= v ? ow - v : int.MaxValue;
            long planeSize = (long)oh * ow;
            int rowStep = sy * rowLength, tapRowStep = dy * rowLength;
            var epilogue = new DepthwiseEpilogue<TV, TOps>(bias, clamp);
            float* tail = stackalloc float[4 * 16];
            int oy = 0;

            // Four output rows at a time: four independent multiply-add chains per tap instead of one latency-bound chain.
            for (; oy + 4 <= oh; oy += 4)
            {
                for (int j = 0; j < ow; j += v)
                {
                    int ox = Math.Min(j, lastFull);
                    TV a0 = epilogue.Bias, a1 = a0, a2 = a0, a3 = a0;
                    float* src = padded + ((long)oy * rowStep) + (ox * sx);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        float* s0 = src + (ky * tapRowStep);
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

                    int count = Math.Min(v, ow - ox);
                    long at = ((long)oy * ow) + ox;
                    float* z = residual == null ? null : residual + at;
                    if (count == v)
                    {
                        epilogue.Store(a0, y + at, z);
                        epilogue.Store(a1, y + at + ow, z == null ? null : z + ow);
                        epilogue.Store(a2, y + at + (2 * ow), z == null ? null : z + (2 * ow));
                        epilogue.Store(a3, y + at + (3 * ow), z == null ? null : z + (3 * ow));
                    }
                    else if (at + (3 * ow) + v <= planeSize)
                    {
                        // Rows narrower than a vector (14 x 14 planes): a full store spills into the following rows,
                        // which are stored after it (in this group or the next), so the spill is overwritten; only
                        // stores that would leave the plane take the partial path.
                        epilogue.Store(a0, y + at, z);
                        epilogue.Store(a1, y + at + ow, z == null ? null : z + ow);
                        epilogue.Store(a2, y + at + (2 * ow), z == null ? null : z + (2 * ow));
                        epilogue.Store(a3, y + at + (3 * ow), z == null ? null : z + (3 * ow));
                    }
                    else
                    {
                        // Spill first: no call while the accumulators live in registers.
                        TOps.Store(tail, a0);
                        TOps.Store(tail + v, a1);
                        TOps.Store(tail + (2 * v), a2);
                        TOps.Store(tail + (3 * v), a3);
                        for (int r = 0; r < 4; r++)
                        {
                            epilogue.StorePartial(tail + (r * v), y + at + (r * ow), z == null ? null : z + (r * ow), count);
                        }
                    }
                }
            }

            for (; oy < oh; oy++)
            {
                for (int j = 0; j < ow; j += v)
                {
                    int ox = Math.Min(j, lastFull);
                    TV a0 = epilogue.Bias;
                    float* src = padded + ((long)oy * rowStep) + (ox * sx);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        float* s0 = src + (ky * tapRowStep);
                        float* wr = w + (ky * kw);
                        for (int kx = 0; kx < kw; kx++)
                        {
                            a0 = TOps.MultiplyAdd(TOps.Broadcast(wr[kx]), TLoad.Load<TV, TOps>(s0 + kx), a0);
                        }
                    }

                    long at = ((long)oy * ow) + ox;
                    float* z = residual == null ? null : residual + at;
                    if (ox + v <= ow || at + v <= planeSize)
                    {
                        epilogue.Store(a0, y + at, z);
                    }
                    else
                    {
                        TOps.Store(tail, a0);
                        epilogue.StorePartial(tail, y + at, z, ow - ox);
                    }
                }
            }

            if (post is not null)
            {
                post.Apply(new Span<float>(y, p.OutputSize));
            }
        }
    }

    /// <summary>Residual, clamp and store of one output vector (a partial last vector goes through a spill).</summary>
    private readonly struct DepthwiseEpilogue<TV, TOps>(float bias, GemmClamp clamp)
        where TV : struct
        where TOps : struct, IStridedVector<TV>
    {
        private readonly TV _lo = TOps.Broadcast(clamp.Enabled ? clamp.Lo : float.NegativeInfinity);
        private readonly TV _hi = TOps.Broadcast(clamp.Enabled ? clamp.Hi : float.PositiveInfinity);
        private readonly bool _clamp = clamp.Enabled;

        public TV Bias { get; } = TOps.Broadcast(bias);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(TV acc, float* y, float* residual)
        {
            if (residual != null)
            {
                acc = TOps.Add(acc, TOps.Load(residual));
            }

            if (_clamp)
            {
                acc = TOps.Clamp(acc, _lo, _hi);
            }

            TOps.Store(y, acc);
        }

        /// <summary>The first <paramref name="count"/> of the spilled values at <paramref name="values"/> (scratch of one vector, overwritten).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public void StorePartial(float* values, float* y, float* residual, int count)
        {
            // The epilogue in a vector (the residual's few values staged through a zeroed scratch vector), then a plain copy.
            TV acc = TOps.Load(values);
            if (residual != null)
            {
                float* staged = stackalloc float[16];
                for (int j = 0; j < count; j++)
                {
                    staged[j] = residual[j];
                }

                acc = TOps.Add(acc, TOps.Load(staged));
            }

            if (_clamp)
            {
                acc = TOps.Clamp(acc, _lo, _hi);
            }

            TOps.Store(values, acc);
            for (int j = 0; j < count; j++)
            {
                y[j] = values[j];
            }
        }
    }

    /// <summary>The tap-interval path (any stride and dilation); writes every output element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunIntervals(ConvPlan p, float* xp, float* wp, float bias, float* yp)
    {
        var x = new ReadOnlySpan<float>(xp, p.InputSize);
        var w = new ReadOnlySpan<float>(wp, p.KernelSize);
        var y = new Span<float>(yp, p.OutputSize);
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

/// <summary>The residual, clamp and post-op a fused convolution applies to its output (all optional).</summary>
internal readonly ref struct ConvFinalOps
{
    public ReadOnlySpan<float> Residual { get; init; }

    public GemmClamp Clamp { get; init; }

    public GemmPostOp? Post { get; init; }
}
