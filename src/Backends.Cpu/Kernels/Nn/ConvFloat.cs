using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Backends.Cpu.Threading;
using OpenAutoGlm.Core;
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
    /// <summary>Whether the GEMMs read full-width panels of X / the im2col buffer in place (<see cref="GemmProblem.DirectB"/>); benchmarks compare both.</summary>
    internal static bool ReadColumnsInPlace { get; set; } = true;

    /// <summary>im2col buffers larger than this are cut into slabs of output rows (see SlabRows); benchmarks vary it.</summary>
    internal static long MaxSlabBytes { get; set; } = 512 * 1024;

    /// <summary>The fewest output columns a slab keeps (see SlabRows); benchmarks vary it.</summary>
    internal static int MinSlabWidth { get; set; } = 128;

    /// <summary>Packs a constant W [M, C/g, k...] into one A operand per group; null entries when packing is unavailable.</summary>
    private static PackedGemmMatrix?[]? PackWeights(ReadOnlySpan<float> w, int m, int group)
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

    /// <summary>A constant W packed at kernel creation, with the tensor it stands for.</summary>
    internal sealed class PackedWeights
    {
        private readonly Tensor<float> _source;
        private readonly PackedGemmMatrix?[] _groups;
        private readonly int _group;
        private PackedGemmMatrix?[]? _transposed;

        private PackedWeights(Tensor<float> source, PackedGemmMatrix?[] groups, int group)
        {
            _source = source;
            _groups = groups;
            _group = group;
        }

        /// <summary>
        /// W_g^T [C/g * k, M/g] packed as a GEMM B operand for <see cref="ConvTransposedGemm"/>, made on first use (only
        /// kernels that meet small output planes pay its memory); thread-safe, the first packing wins.
        /// </summary>
        public PackedGemmMatrix? Transposed(int g)
        {
            var packed = Volatile.Read(ref _transposed);
            if (packed is null)
            {
                int m = _source.Dims[0], mg = m / _group, kdim = _source.Length / m;
                var made = new PackedGemmMatrix?[_group];
                for (int i = 0; i < _group; i++)
                {
                    made[i] = PackedGemmMatrix.PackB(_source.Span.Slice(i * mg * kdim, mg * kdim), kdim, true, kdim, mg);
                }

                packed = Interlocked.CompareExchange(ref _transposed, made, null) ?? made;
            }

            return packed[g];
        }

        /// <summary>Packs a constant float32 W unless it is depthwise (one channel in and out per group: used as it is); null otherwise.</summary>
        public static PackedWeights? For(Tensor? constantW, int group)
        {
            if (constantW is not Tensor<float> { Rank: >= 3 } w || (w.Dims[1] == 1 && w.Dims[0] == group))
            {
                return null;
            }

            return PackWeights(w.Span, w.Dims[0], group) is { } groups ? new PackedWeights(w, groups, group) : null;
        }

        /// <summary>The packed groups when <paramref name="w"/> is the tensor they were packed from; null otherwise.</summary>
        public PackedGemmMatrix?[]? For(Tensor w) => ReferenceEquals(w, _source) ? _groups : null;
    }

    public static void Run(
        ConvPlan p, int group, int n, int c, int m, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> y, int threads, PackedGemmMatrix?[]? packedW, in ConvFinalOps final = default, PackedWeights? weights = null)
    {
        int cg = c / group, mg = m / group;
        int kdim = cg * p.KernelSize;
        if (cg == 1 && mg == 1 && p.Rank == 2)
        {
            DepthwiseConv.Run(p, n, c, x, w, bias, y, threads, final);
            return;
        }

        var residual = final.Residual;
        if (!residual.IsEmpty && residual.Length < y.Length)
        {
            throw new ArgumentException($"convolution residual of {residual.Length} elements is smaller than the output ({y.Length})");
        }

        if (p.IsPointwise && p.OutputSize == 1)
        {
            // 1x1 spatial (squeeze-excitation blocks): one dot product per output channel; a GEMM would run its
            // 32-column micro-tiles for a single column.
            PointwiseVector(group, n, c, m, x, w, bias, y, residual, final);
            return;
        }

        bool transposed = weights is not null && ConvTransposedGemm.Pays(p.OutputSize, mg);
        if (p.IsPointwise && transposed)
        {
            for (int img = 0; img < n; img++)
            {
                for (int g = 0; g < group; g++)
                {
                    if (weights!.Transposed(g) is not { } wT)
                    {
                        transposed = false;
                        break;
                    }

                    long at = ((long)img * m) + (g * mg);
                    ConvTransposedGemm.Run(
                        x.Slice(((img * c) + (g * cg)) * p.InputSize, cg * p.InputSize), p.OutputSize, kdim, mg, wT,
                        bias.IsEmpty ? default : bias.Slice(g * mg, mg), y.Slice((int)(at * p.OutputSize), mg * p.OutputSize),
                        residual.IsEmpty ? default : residual.Slice((int)(at * p.OutputSize), mg * p.OutputSize), final.Clamp, final.Post, threads);
                }

                if (!transposed)
                {
                    break;
                }
            }

            if (transposed)
            {
                return;
            }
        }

        if (p.IsPointwise)
        {
            // All images in one batched GEMM per group: B_t = X[t, group channels], C_t = Y[t, group channels].
            var offsets = ThreadScratch.Longs(2 * n);
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
                        threads, packedW?[g], null, bias.IsEmpty ? default : bias.Slice(g * mg, mg),
                        final: new GemmFinalOps
                        {
                            Residual = residual.IsEmpty ? default : residual.Slice(g * mg * p.OutputSize),
                            Clamp = final.Clamp,
                            Post = final.Post,
                            DirectB = ReadColumnsInPlace,
                        });
                }
            }

            return;
        }

        int slabRows = transposed ? 0 : SlabRows(p, kdim, threads);
        if (slabRows > 0)
        {
            fixed (float* px = x)
            fixed (float* pw = w)
            fixed (float* pb = bias)
            fixed (float* py = y)
            fixed (float* pz = residual)
            {
                int slabs = (p.Output[0] + slabRows - 1) / slabRows;
                for (int img = 0; img < n; img++)
                {
                    for (int g = 0; g < group; g++)
                    {
                        var work = new SlabWork(
                            p, cg, mg, kdim, slabRows,
                            px + ((((long)img * c) + (g * cg)) * p.InputSize), pw + ((long)g * mg * kdim), bias.IsEmpty ? null : pb + (g * mg),
                            py + ((((long)img * m) + (g * mg)) * p.OutputSize), packedW?[g],
                            residual.IsEmpty ? null : pz + ((((long)img * m) + (g * mg)) * p.OutputSize), final.Clamp, final.Post);
                        ParallelFor.Run(slabs, threads, work);
                    }
                }
            }

            return;
        }

        var col = ThreadScratch.Floats(kdim * p.OutputSize);
        {
            for (int img = 0; img < n; img++)
            {
                for (int g = 0; g < group; g++)
                {
                    var xg = x.Slice(((img * c) + (g * cg)) * p.InputSize, cg * p.InputSize);
                    FillColumns(xg, cg, p, col, threads);
                    var yg = y.Slice(((img * m) + (g * mg)) * p.OutputSize, mg * p.OutputSize);
                    if (transposed && weights!.Transposed(g) is { } wT)
                    {
                        ConvTransposedGemm.Run(
                            col, p.OutputSize, kdim, mg, wT, bias.IsEmpty ? default : bias.Slice(g * mg, mg), yg,
                            residual.IsEmpty ? default : residual.Slice(((img * m) + (g * mg)) * p.OutputSize, mg * p.OutputSize),
                            final.Clamp, final.Post, threads);
                        continue;
                    }

                    Blas.Sgemm(
                        false, false, mg, p.OutputSize, kdim, 1f, w.Slice(g * mg * kdim, mg * kdim), kdim, col, p.OutputSize, 0f, yg, p.OutputSize,
                        threads, packedW?[g], null, bias.IsEmpty ? default : bias.Slice(g * mg, mg),
                        final: new GemmFinalOps
                        {
                            Residual = residual.IsEmpty ? default : residual.Slice(((img * m) + (g * mg)) * p.OutputSize, mg * p.OutputSize),
                            Clamp = final.Clamp,
                            Post = final.Post,
                            DirectB = ReadColumnsInPlace,
                        });
                }
            }
        }
    }

    /// <summary>Y[img, m] = act(B[m] + W[m, :] . X[img, m's group channels] + Z[img, m]) for a 1x1 spatial pointwise convolution.</summary>
    private static void PointwiseVector(
        int group, int n, int c, int m, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y,
        ReadOnlySpan<float> residual, in ConvFinalOps final)
    {
        int cg = c / group, mg = m / group;
        for (int img = 0; img < n; img++)
        {
            var yi = y.Slice(img * m, m);
            for (int g = 0; g < group; g++)
            {
                var xs = x.Slice((img * c) + (g * cg), cg);
                for (int i = 0; i < mg; i++)
                {
                    int oc = (g * mg) + i;
                    yi[oc] = System.Numerics.Tensors.TensorPrimitives.Dot(w.Slice(oc * cg, cg), xs) + (bias.IsEmpty ? 0f : bias[oc]);
                }
            }

            if (!residual.IsEmpty)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(yi, residual.Slice(img * m, m), yi);
            }

            if (final.Clamp.Enabled)
            {
                System.Numerics.Tensors.TensorPrimitives.Max(yi, final.Clamp.Lo, yi);
                System.Numerics.Tensors.TensorPrimitives.Min(yi, final.Clamp.Hi, yi);
            }

            final.Post?.Apply(yi);
        }
    }

    /// <summary>
    /// Output rows per slab when a 2-D im2col is big enough to leave the L2 cache (over ~512 KB): the output is then cut
    /// into slabs of whole output rows, each filled into its own small column buffer and multiplied right away
    /// (the buffer is still in cache), slabs in parallel. 0 = one im2col and one (parallel) GEMM. A slab keeps at least
    /// ~128 columns so the GEMM stays efficient, 512 when K reaches 1024 (each slab re-reads the whole weight block: a
    /// 128 -> 128 3x3 conv at 28x28 ran 140-column slabs at 205-278 GFLOP/s, one im2col at 332-346 on two threads);
    /// the slab count is rounded to a multiple of the thread count.
    /// </summary>
    private static int SlabRows(ConvPlan p, int kdim, int threads)
    {
        long slabBytes = MaxSlabBytes;
        int minSlabColumns = kdim >= 1024 ? Math.Max(512, MinSlabWidth) : MinSlabWidth;
        if (p.Rank != 2)
        {
            return 0;
        }

        int oh = p.Output[0], ow = p.Output[1];
        long bytes = (long)kdim * p.OutputSize * sizeof(float);
        long bySize = (bytes + slabBytes - 1) / slabBytes;
        long byWidth = Math.Min(oh, Math.Max(1, p.OutputSize / minSlabColumns));
        long slabs = Math.Min(bySize, byWidth);
        if (slabs <= 1)
        {
            return 0;
        }

        slabs = Math.Min(byWidth, (slabs + threads - 1) / threads * threads);
        return (int)((oh + slabs - 1) / slabs);
    }

    /// <summary>One slab of output rows [slab * rows, ...): im2col into a pooled buffer, then a single-threaded GEMM into Y.</summary>
    private readonly struct SlabWork(
        ConvPlan p, int cg, int mg, int kdim, int rows, float* x, float* w, float* bias, float* y, PackedGemmMatrix? packed,
        float* residual, GemmClamp clamp, GemmPostOp? post) : IParallelWork
    {
        public void Invoke(int slab)
        {
            int oy0 = slab * rows;
            int oy1 = Math.Min(p.Output[0], oy0 + rows);
            int ow = p.Output[1];
            int cols = (oy1 - oy0) * ow;
            var col = ThreadScratch.Floats(kdim * cols);
            {
                Im2Col.Fill2D(new ReadOnlySpan<float>(x, cg * p.InputSize), cg, p, col, oy0, oy1);
                int span = ((mg - 1) * p.OutputSize) + cols;
                Blas.Sgemm(
                    false, false, mg, cols, kdim, 1f, new ReadOnlySpan<float>(w, mg * kdim), kdim, col, cols, 0f,
                    new Span<float>(y + ((long)oy0 * ow), span), p.OutputSize,
                    1, packed, null, bias == null ? default : new ReadOnlySpan<float>(bias, mg),
                    final: new GemmFinalOps
                    {
                        Residual = residual == null ? default : new ReadOnlySpan<float>(residual + ((long)oy0 * ow), span),
                        Clamp = clamp,
                        Post = post,
                        DirectB = ReadColumnsInPlace,
                    });
            }
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
