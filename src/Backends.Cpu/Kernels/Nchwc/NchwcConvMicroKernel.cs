using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;

/// <summary>A pixel stride known to the JIT (input floats between two output pixels of a tile): addresses become displacements.</summary>
internal interface IPixelStride
{
    static abstract int Value { get; }
}

#pragma warning disable SA1649, SA1402 // tiny marker structs live together
internal readonly struct PixelStride1 : IPixelStride { public static int Value => 1; }
internal readonly struct PixelStride2 : IPixelStride { public static int Value => 2; }
internal readonly struct PixelStride16 : IPixelStride { public static int Value => 16; }
internal readonly struct PixelStride32 : IPixelStride { public static int Value => 32; }

/// <summary>Output blocks of 16 channels a tile computes: 2 (a pair), or 1 (the last block of an odd block count).</summary>
internal interface IBlockCount
{
    static abstract int Value { get; }
}

internal readonly struct OneBlock : IBlockCount { public static int Value => 1; }
internal readonly struct TwoBlocks : IBlockCount { public static int Value => 2; }

/// <summary>Four output blocks (two pairs, up to 6 pixels): the second pair's weights are <c>quadOffset</c> floats after the first's.</summary>
internal readonly struct FourBlocks : IBlockCount { public static int Value => 4; }
#pragma warning restore SA1649, SA1402

/// <summary>
/// What the NCHWc convolution writes after the products, per 16-channel output block j of a tile:
/// y = post(clamp(acc + bias[j] + residual)). Bias is the 32 (two-block) slice of the zero-padded bias; the residual has
/// the output's layout (null when absent); the post-op runs over each block's finished pixels.
/// </summary>
internal readonly unsafe struct NchwcEpilogue(float* bias, float* residual, GemmClamp clamp, GemmPostOp? post)
{
    public float* Bias { get; } = bias;

    public float* Residual { get; } = residual;

    public GemmClamp Clamp { get; } = clamp;

    public GemmPostOp? Post { get; } = post;
}

/// <summary>
/// The register-blocked NCHWc convolution micro-kernel: a tile of TPix output pixels (rows, up to 12) by two 16-channel
/// output blocks (32 columns), accumulated over a list of taps. A tap is one (input block, kernel offset) pair: the
/// input pointer <c>x + taps[t]</c> is the first pixel's first channel for that tap, its <paramref name="icCount"/>
/// channels are <paramref name="icStride"/> floats apart (1 in the blocked layout, the plane size for an NCHW input) and
/// the tile's pixels TStride floats apart. The packed weights hold, per tap and channel, 32 output channels (two
/// blocks), tap after tap. Per channel step the kernel loads two weight vectors, broadcasts one input value per pixel
/// and issues 2 x TPix FMAs into accumulators that stay in registers (24 of 32 zmm at 12 pixels).
/// </summary>
internal static unsafe class NchwcConvMicroKernel
{
    /// <summary>
    /// Computes the tile and stores it at <paramref name="y"/> (pixel p of block j at y + j * blockStride + 16 p), with
    /// the epilogue. The last <paramref name="tailTaps"/> taps (the last input block's, when C is not a multiple of 16)
    /// have <paramref name="tailIc"/> channels instead of <paramref name="icCount"/> (their weights are packed that short). TBlocks = 1 computes and stores only the first block (the pair's second block does not exist).
    /// </summary>
    /// <remarks>
    /// The kernel reads no static state (the prefetch distance comes in as <paramref name="prefetchFloats"/>, 0 for none,
    /// see <see cref="NchwcConvDriver.WeightPrefetchFloats"/>): it is
    /// compiled straight to optimized code, and an instantiation compiled before its class's statics were initialized
    /// carried a class-initialization helper call, across which the JIT kept all 24 accumulators in stack slots, a load
    /// and a store each per channel step. The first instantiation a process compiled (the stem convolution's) ran 1.6x
    /// slower than the same code compiled later (resnet50 7x7 stem, one thread: 1.62-1.71 ms against 1.04-1.05 ms).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void Run<TPix, TStride, TBlocks>(
        float* x, nint* taps, int tapCount, int icCount, nint icStride, float* w, float* y, nint blockStride, in NchwcEpilogue e,
        nint prefetchFloats, int tailTaps = 0, int tailIc = 0, nint quadOffset = 0)
        where TPix : struct, IGemmRows
        where TStride : struct, IPixelStride
        where TBlocks : struct, IBlockCount
    {
        int blocks = TBlocks.Value;
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default;
        Vector512<float> c100 = default, c101 = default;
        Vector512<float> c110 = default, c111 = default;
        int ps = TStride.Value;

        bool prefetchWeights = prefetchFloats != 0 && System.Runtime.Intrinsics.X86.Sse.IsSupported;
        int fullTaps = tapCount - tailTaps;
        for (int t = 0; t < tapCount; t++)
        {
            float* xp = x + taps[t];
            int channels = t < fullTaps ? icCount : tailIc;
            for (int ic = 0; ic < channels; ic++)
            {
                var b0 = Vector512.Load(w);
                var b1 = TBlocks.Value > 1 ? Vector512.Load(w + 16) : default;
                var b2 = TBlocks.Value > 2 ? Vector512.Load(w + quadOffset) : default;
                var b3 = TBlocks.Value > 2 ? Vector512.Load(w + quadOffset + 16) : default;
                if (prefetchWeights)
                {
                    // Both lines of the 32 weights prefetchFloats / 32 channel steps ahead.
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + prefetchFloats);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + prefetchFloats + 16);
                    if (TBlocks.Value > 2)
                    {
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + quadOffset + prefetchFloats);
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + quadOffset + prefetchFloats + 16);
                    }
                }

                w += 32;
                Vector512<float> a;
                a = Vector512.Create(xp[0]);
                c00 = Vector512.FusedMultiplyAdd(a, b0, c00);
                if (TBlocks.Value > 1)
                {
                    c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
                }

                if (TBlocks.Value > 2)
                {
                    c60 = Vector512.FusedMultiplyAdd(a, b2, c60);
                    c61 = Vector512.FusedMultiplyAdd(a, b3, c61);
                }

                if (TPix.Count > 1)
                {
                    a = Vector512.Create(xp[ps]);
                    c10 = Vector512.FusedMultiplyAdd(a, b0, c10);
                    if (TBlocks.Value > 1)
                    {
                        c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
                    }

                    if (TBlocks.Value > 2)
                    {
                        c70 = Vector512.FusedMultiplyAdd(a, b2, c70);
                        c71 = Vector512.FusedMultiplyAdd(a, b3, c71);
                    }

                }

                if (TPix.Count > 2)
                {
                    a = Vector512.Create(xp[2 * ps]);
                    c20 = Vector512.FusedMultiplyAdd(a, b0, c20);
                    if (TBlocks.Value > 1)
                    {
                        c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
                    }

                    if (TBlocks.Value > 2)
                    {
                        c80 = Vector512.FusedMultiplyAdd(a, b2, c80);
                        c81 = Vector512.FusedMultiplyAdd(a, b3, c81);
                    }

                }

                if (TPix.Count > 3)
                {
                    a = Vector512.Create(xp[3 * ps]);
                    c30 = Vector512.FusedMultiplyAdd(a, b0, c30);
                    if (TBlocks.Value > 1)
                    {
                        c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
                    }

                    if (TBlocks.Value > 2)
                    {
                        c90 = Vector512.FusedMultiplyAdd(a, b2, c90);
                        c91 = Vector512.FusedMultiplyAdd(a, b3, c91);
                    }

                }

                if (TPix.Count > 4)
                {
                    a = Vector512.Create(xp[4 * ps]);
                    c40 = Vector512.FusedMultiplyAdd(a, b0, c40);
                    if (TBlocks.Value > 1)
                    {
                        c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
                    }

                    if (TBlocks.Value > 2)
                    {
                        c100 = Vector512.FusedMultiplyAdd(a, b2, c100);
                        c101 = Vector512.FusedMultiplyAdd(a, b3, c101);
                    }

                }

                if (TPix.Count > 5)
                {
                    a = Vector512.Create(xp[5 * ps]);
                    c50 = Vector512.FusedMultiplyAdd(a, b0, c50);
                    if (TBlocks.Value > 1)
                    {
                        c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
                    }

                    if (TBlocks.Value > 2)
                    {
                        c110 = Vector512.FusedMultiplyAdd(a, b2, c110);
                        c111 = Vector512.FusedMultiplyAdd(a, b3, c111);
                    }

                }

                if (TPix.Count > 6 && TBlocks.Value <= 2)
                {
                    a = Vector512.Create(xp[6 * ps]);
                    c60 = Vector512.FusedMultiplyAdd(a, b0, c60);
                    if (TBlocks.Value > 1)
                    {
                        c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
                    }

                }

                if (TPix.Count > 7 && TBlocks.Value <= 2)
                {
                    a = Vector512.Create(xp[7 * ps]);
                    c70 = Vector512.FusedMultiplyAdd(a, b0, c70);
                    if (TBlocks.Value > 1)
                    {
                        c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
                    }

                }

                if (TPix.Count > 8 && TBlocks.Value <= 2)
                {
                    a = Vector512.Create(xp[8 * ps]);
                    c80 = Vector512.FusedMultiplyAdd(a, b0, c80);
                    if (TBlocks.Value > 1)
                    {
                        c81 = Vector512.FusedMultiplyAdd(a, b1, c81);
                    }

                }

                if (TPix.Count > 9 && TBlocks.Value <= 2)
                {
                    a = Vector512.Create(xp[9 * ps]);
                    c90 = Vector512.FusedMultiplyAdd(a, b0, c90);
                    if (TBlocks.Value > 1)
                    {
                        c91 = Vector512.FusedMultiplyAdd(a, b1, c91);
                    }

                }

                if (TPix.Count > 10 && TBlocks.Value <= 2)
                {
                    a = Vector512.Create(xp[10 * ps]);
                    c100 = Vector512.FusedMultiplyAdd(a, b0, c100);
                    if (TBlocks.Value > 1)
                    {
                        c101 = Vector512.FusedMultiplyAdd(a, b1, c101);
                    }

                }

                if (TPix.Count > 11 && TBlocks.Value <= 2)
                {
                    a = Vector512.Create(xp[11 * ps]);
                    c110 = Vector512.FusedMultiplyAdd(a, b0, c110);
                    if (TBlocks.Value > 1)
                    {
                        c111 = Vector512.FusedMultiplyAdd(a, b1, c111);
                    }

                }

                xp += icStride;
            }
        }

        var bias0 = Vector512.Load(e.Bias);
        var bias1 = Vector512.Load(e.Bias + 16);
        float* y1 = y + blockStride;
        float* z0 = e.Residual;
        float* z1 = z0 == null ? null : z0 + blockStride;
        if (TBlocks.Value > 2)
        {
            // Blocks 2 and 3 (the second pair) of pixels 0..5 are in c60..c111.
            var bias2 = Vector512.Load(e.Bias + 32);
            var bias3 = Vector512.Load(e.Bias + 48);
            float* y2 = y + (2 * blockStride), y3 = y + (3 * blockStride);
            float* z2 = z0 == null ? null : z0 + (2 * blockStride), z3 = z0 == null ? null : z0 + (3 * blockStride);
            Store(y2, y3, z2, z3, 0, c60, c61, bias2, bias3, 2, e.Clamp);
            if (TPix.Count > 1)
            {
                Store(y2, y3, z2, z3, 1, c70, c71, bias2, bias3, 2, e.Clamp);
            }

            if (TPix.Count > 2)
            {
                Store(y2, y3, z2, z3, 2, c80, c81, bias2, bias3, 2, e.Clamp);
            }

            if (TPix.Count > 3)
            {
                Store(y2, y3, z2, z3, 3, c90, c91, bias2, bias3, 2, e.Clamp);
            }

            if (TPix.Count > 4)
            {
                Store(y2, y3, z2, z3, 4, c100, c101, bias2, bias3, 2, e.Clamp);
            }

            if (TPix.Count > 5)
            {
                Store(y2, y3, z2, z3, 5, c110, c111, bias2, bias3, 2, e.Clamp);
            }
        }

        int pairBlocks = Math.Min(2, blocks);
        Store(y, y1, z0, z1, 0, c00, c01, bias0, bias1, pairBlocks, e.Clamp);
        if (TPix.Count > 1)
        {
            Store(y, y1, z0, z1, 1, c10, c11, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 2)
        {
            Store(y, y1, z0, z1, 2, c20, c21, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 3)
        {
            Store(y, y1, z0, z1, 3, c30, c31, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 4)
        {
            Store(y, y1, z0, z1, 4, c40, c41, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 5)
        {
            Store(y, y1, z0, z1, 5, c50, c51, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 6 && TBlocks.Value <= 2)
        {
            Store(y, y1, z0, z1, 6, c60, c61, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 7 && TBlocks.Value <= 2)
        {
            Store(y, y1, z0, z1, 7, c70, c71, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 8 && TBlocks.Value <= 2)
        {
            Store(y, y1, z0, z1, 8, c80, c81, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 9 && TBlocks.Value <= 2)
        {
            Store(y, y1, z0, z1, 9, c90, c91, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 10 && TBlocks.Value <= 2)
        {
            Store(y, y1, z0, z1, 10, c100, c101, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (TPix.Count > 11 && TBlocks.Value <= 2)
        {
            Store(y, y1, z0, z1, 11, c110, c111, bias0, bias1, pairBlocks, e.Clamp);
        }

        if (e.Post is { } post)
        {
            post.Apply(new Span<float>(y, TPix.Count * 16));
            if (blocks > 1)
            {
                post.Apply(new Span<float>(y1, TPix.Count * 16));
            }

            if (blocks > 2)
            {
                post.Apply(new Span<float>(y + (2 * blockStride), TPix.Count * 16));
                post.Apply(new Span<float>(y + (3 * blockStride), TPix.Count * 16));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(
        float* y0, float* y1, float* z0, float* z1, int p, Vector512<float> v0, Vector512<float> v1, Vector512<float> bias0, Vector512<float> bias1, int blocks, GemmClamp clamp)
    {
        nint o = p * 16;
        v0 += bias0;
        v1 += bias1;
        if (z0 != null)
        {
            v0 += Vector512.Load(z0 + o);
            if (blocks > 1)
            {
                v1 += Vector512.Load(z1 + o);
            }
        }

        if (clamp.Enabled)
        {
            var lo = Vector512.Create(clamp.Lo);
            var hi = Vector512.Create(clamp.Hi);
            v0 = GemmVector512.Clamp(v0, lo, hi);
            v1 = GemmVector512.Clamp(v1, lo, hi);
        }

        Vector512.Store(v0, y0 + o);
        if (blocks > 1)
        {
            Vector512.Store(v1, y1 + o);
        }
    }
}
