using System.Buffers;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// The float32 convolution driver behind <see cref="Conv"/>: per group Y_g [M/g, outSize] = W_g [M/g, C/g * K] x
/// col_g [C/g * K, outSize] + B_g (the bias fused into the GEMM epilogue). Pointwise convolutions use X itself as col
/// (all images in one batched GEMM); others fill a pooled im2col buffer in parallel over channels. Depthwise
/// convolutions (one input and one output channel per group) take <see cref="DepthwiseConv"/>. Weights packed at
/// kernel creation (<see cref="PackedGemmMatrix"/>, one per group) replace W when they fit.
/// </summary>
internal static unsafe class ConvFloat
{
    /// <summary>Packs a constant W [M, C/g, k...] into one A operand per group; null entries when packing is unavailable.</summary>
    public static PackedGemmMatrix?[]? PackWeights(ReadOnlySpan<float> w, int m, int group)
    {
        if (group <= 0 || m % group != 0 || w.Length % m != 0 || w.IsEmpty)
        {
            return null;
        }

        int mg = m / group;
        int kdim = w.Length / m;
        var packed = new PackedGemmMatrix?[group];
        for (int g = 0; g < group; g++)
        {
            packed[g] = PackedGemmMatrix.PackA(w.Slice(g * mg * kdim, mg * kdim), kdim, false, mg, kdim);
        }

        return packed;
    }

    public static void Run(
        ConvPlan p, int group, int n, int c, int m, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> y, int threads, PackedGemmMatrix?[]? packedW)
    {
        int cg = c / group, mg = m / group;
        int kdim = cg * p.KernelSize;
        if (cg == 1 && mg == 1 && p.Rank == 2)
        {
            DepthwiseConv.Run(p, n, c, x, w, bias, y, threads);
            return;
        }

        if (p.IsPointwise)
        {
            // All images in one batched GEMM per group: B_t = X[t, group channels], C_t = Y[t, group channels].
            var offsets = ArrayPool<long>.Shared.Rent(2 * n);
            try
            {
                for (int g = 0; g < group; g++)
                {
                    for (int t = 0; t < n; t++)
                    {
                        offsets[t] = 0;
                        offsets[n + t] = (((long)t * c) + (g * cg)) * p.InputSize;
                    }

                    Blas.SgemmBatched(
                        n, false, false, mg, p.OutputSize, kdim, 1f,
                        w.Slice(g * mg * kdim, mg * kdim), kdim, offsets.AsSpan(0, n), x, p.InputSize, offsets.AsSpan(n, n),
                        0f, y.Slice(g * mg * p.OutputSize), p.OutputSize, (long)m * p.OutputSize,
                        threads, packedW?[g], null, bias.IsEmpty ? default : bias.Slice(g * mg, mg));
                }
            }
            finally
            {
                ArrayPool<long>.Shared.Return(offsets);
            }

            return;
        }

        var col = ArrayPool<float>.Shared.Rent(kdim * p.OutputSize);
        try
        {
            for (int img = 0; img < n; img++)
            {
                for (int g = 0; g < group; g++)
                {
                    var xg = x.Slice(((img * c) + (g * cg)) * p.InputSize, cg * p.InputSize);
                    FillColumns(xg, cg, p, col, threads);
                    var yg = y.Slice(((img * m) + (g * mg)) * p.OutputSize, mg * p.OutputSize);
                    Blas.Sgemm(
                        false, false, mg, p.OutputSize, kdim, 1f, w.Slice(g * mg * kdim, mg * kdim), kdim, col, p.OutputSize, 0f, yg, p.OutputSize,
                        threads, packedW?[g], null, bias.IsEmpty ? default : bias.Slice(g * mg, mg));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(col);
        }
    }

    /// <summary>im2col of <paramref name="channels"/> channels, split over channels across threads (2-D uses <see cref="Im2Col.Fill2D"/>).</summary>
    private static void FillColumns(ReadOnlySpan<float> x, int channels, ConvPlan p, float[] col, int threads)
    {
        long perChannel = (long)p.KernelSize * p.OutputSize;
        fixed (float* px = x)
        fixed (float* pc = col)
        {
            ParallelFor.Range(channels, threads, (int)Math.Max(1, (1L << 15) / Math.Max(1, perChannel)), new FillWork(px, pc, p));
        }
    }

    private readonly struct FillWork(float* x, float* col, ConvPlan p) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            int count = end - start;
            var src = new ReadOnlySpan<float>(x + ((long)start * p.InputSize), count * p.InputSize);
            var dst = new Span<float>(col + ((long)start * p.KernelSize * p.OutputSize), count * p.KernelSize * p.OutputSize);
            if (p.Rank == 2)
            {
                Im2Col.Fill2D(src, count, p, dst);
            }
            else
            {
                Im2Col.Fill(src, count, p, dst);
            }
        }
    }
}
