using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// Convolutions whose output planes are too small for the GEMM's 32-column panels (late layers: 7 x 7 = 49 columns run
/// as 64, 14 x 14 = 196 as 224) computed the other way round: Y^T [pixels, M] = col^T [pixels, K] x W^T [K, M], so the
/// many output channels fill the 32-wide panels and the few pixels are the rows, which the micro-kernel handles in
/// exact row counts (49 = 4 x 12 + 1). W^T is packed once, on first use, per kernel; Y^T lands in per-thread scratch
/// with the bias as the GEMM's column bias and is transposed into Y with the residual and clamp; the post-op runs per
/// output plane.
/// </summary>
internal static unsafe class ConvTransposedGemm
{
    /// <summary>Tests and benchmarks switch the transposed path off.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether <paramref name="pixels"/> output columns waste over 20% of the 32-column panels (7 x 7 = 49 in 64) while
    /// at least 256 output channels fill them (at most 10% waste). Measured on one thread / two threads (AVX-512):
    /// 512 -> 512 3x3 at 7x7 1926 -> 1417 / 1188 -> 923 us, 2048 -> 512 1x1 at 7x7 689 -> 545 / 392 -> 331 us;
    /// 14 x 14 planes (87.5% panel use) gain nothing, and 160 channels split badly over two threads.
    /// </summary>
    public static bool Pays(int pixels, int channels)
    {
        if (!Enabled || pixels < 4 || channels < 256)
        {
            return false;
        }

        int nr = Blas.Layout.Nr;
        double pixelUse = pixels / (double)((pixels + nr - 1) / nr * nr);
        double channelUse = channels / (double)((channels + nr - 1) / nr * nr);
        return pixelUse < 0.8 && channelUse >= 0.9;
    }

    /// <summary>
    /// Y_g [mg, pixels] = act(W_g [mg, kdim] x col [kdim, pixels] + B_g + Z_g) through the transposed product.
    /// <paramref name="col"/> rows are <paramref name="pixels"/> apart; <paramref name="wT"/> is W_g^T packed as a B operand.
    /// </summary>
    public static void Run(
        ReadOnlySpan<float> col, int pixels, int kdim, int mg, PackedGemmMatrix wT, ReadOnlySpan<float> bias,
        Span<float> y, ReadOnlySpan<float> residual, GemmClamp clamp, GemmPostOp? post, int threads)
    {
        var scratch = ThreadScratch.Second(pixels * mg);
        Blas.Sgemm(true, true, pixels, mg, kdim, 1f, col, pixels, default, kdim, 0f, scratch, mg, threads, null, wT, default, bias);
        fixed (float* yt = scratch)
        fixed (float* py = y)
        fixed (float* pz = residual)
        {
            ParallelFor.Range(mg, threads, Math.Max(16, 4096 / Math.Max(1, pixels)), new Untranspose(yt, py, residual.IsEmpty ? null : pz, pixels, mg, clamp, post), align: 16);
        }
    }

    /// <summary>
    /// Y[m, j] = clamp(Y^T[j, m] + Z[m, j]) for output channels [start, end) in blocks of 16 (each Y^T row segment read
    /// is one cache line), then the residual, clamp and post-op per finished plane.
    /// </summary>
    private readonly struct Untranspose(float* yt, float* y, float* z, int pixels, int channels, GemmClamp clamp, GemmPostOp? post) : IRangeWork
    {
        public void Invoke(int start, int end)
        {
            for (int m0 = start; m0 < end; m0 += 16)
            {
                int mb = Math.Min(16, end - m0);
                for (int j = 0; j < pixels; j++)
                {
                    float* src = yt + ((long)j * channels) + m0;
                    float* dst = y + ((long)m0 * pixels) + j;
                    for (int r = 0; r < mb; r++)
                    {
                        dst[(long)r * pixels] = src[r];
                    }
                }

                for (int r = 0; r < mb; r++)
                {
                    var row = new Span<float>(y + ((long)(m0 + r) * pixels), pixels);
                    if (z != null)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(row, new ReadOnlySpan<float>(z + ((long)(m0 + r) * pixels), pixels), row);
                    }

                    if (clamp.Enabled)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Max(row, clamp.Lo, row);
                        System.Numerics.Tensors.TensorPrimitives.Min(row, clamp.Hi, row);
                    }

                    post?.Apply(row);
                }
            }
        }
    }
}
