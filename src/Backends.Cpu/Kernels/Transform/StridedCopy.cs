using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// The strided copy behind Transpose, Slice, Expand, Tile, Pad and Depth/SpaceToDepth: for every index i
/// of <c>dims</c>, dst[dstOffset + Σ i_k·dstStrides_k] = src[srcOffset + Σ i_k·srcStrides_k]. Strides
/// may be 0 (broadcast) or negative (reversed slices). Adjacent dims that are contiguous on both sides
/// are merged first so the innermost loop is as long as possible; it runs as Span.CopyTo when both
/// inner strides are 1 and as Span.Fill when the source stride is 0.
/// </summary>
internal static class StridedCopy
{
    /// <summary>Ranks up to this many are coalesced into stack/inline buffers; larger ones use arrays.</summary>
    private const int InlineRank = 8;

    public static void Run(Tensor src, int srcOffset, ReadOnlySpan<int> srcStrides, Tensor dst, int dstOffset, ReadOnlySpan<int> dstStrides, ReadOnlySpan<int> dims)
    {
        var job = new Job(src, srcOffset, dst, dstOffset, dims.Length);
        int rank = Coalesce(srcStrides, dstStrides, dims, job.SrcStrides, job.DstStrides, job.Dims);
        if (rank == 0)
        {
            return;
        }

        job.Rank = rank;
        Elements.Dispatch(src.DataType, ref job);
    }

    /// <summary>Copies all of <paramref name="src"/> (contiguous) into <paramref name="dst"/> viewed through strides.</summary>
    public static void Run(Tensor src, int srcOffset, ReadOnlySpan<int> srcStrides, Tensor dst, ReadOnlySpan<int> dims)
    {
        Span<int> strides = dims.Length <= InlineRank ? stackalloc int[dims.Length] : new int[dims.Length];
        RowMajorStrides(dims, strides);
        Run(src, srcOffset, srcStrides, dst, 0, strides, dims);
    }

    /// <summary>
    /// dst = transpose(reshape(src, viewDims), perm), dst contiguous: the "reshape, transpose, reshape"
    /// of DepthToSpace, SpaceToDepth and Transpose itself.
    /// </summary>
    public static void RunPermuted(Tensor src, ReadOnlySpan<int> viewDims, ReadOnlySpan<int> perm, Tensor dst)
    {
        bool small = perm.Length <= InlineRank;
        Span<int> viewStrides = small ? stackalloc int[viewDims.Length] : new int[viewDims.Length];
        Span<int> dims = small ? stackalloc int[perm.Length] : new int[perm.Length];
        Span<int> strides = small ? stackalloc int[perm.Length] : new int[perm.Length];
        RowMajorStrides(viewDims, viewStrides);
        for (int i = 0; i < perm.Length; i++)
        {
            dims[i] = viewDims[perm[i]];
            strides[i] = viewStrides[perm[i]];
        }

        Run(src, 0, strides, dst, dims);
    }

    private static void RowMajorStrides(ReadOnlySpan<int> dims, Span<int> strides)
    {
        int s = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= dims[i];
        }
    }

    /// <summary>
    /// Drops size-1 dims and merges contiguous neighbours into <paramref name="ss"/>, <paramref name="ds"/>,
    /// <paramref name="dd"/> (each at least dims.Length long); returns the coalesced rank, 0 when there is nothing to copy.
    /// </summary>
    private static int Coalesce(ReadOnlySpan<int> srcStrides, ReadOnlySpan<int> dstStrides, ReadOnlySpan<int> dims, Span<int> ss, Span<int> ds, Span<int> dd)
    {
        int count = 0;
        for (int k = 0; k < dims.Length; k++)
        {
            if (dims[k] == 0)
            {
                return 0;
            }

            if (dims[k] == 1)
            {
                continue;
            }

            int last = count - 1;
            if (last >= 0 && ss[last] == srcStrides[k] * dims[k] && ds[last] == dstStrides[k] * dims[k])
            {
                dd[last] *= dims[k];
                ss[last] = srcStrides[k];
                ds[last] = dstStrides[k];
            }
            else
            {
                ss[count] = srcStrides[k];
                ds[count] = dstStrides[k];
                dd[count++] = dims[k];
            }
        }

        if (count == 0)
        {
            ss[0] = ds[0] = dd[0] = 1;
            return 1;
        }

        return count;
    }

    /// <summary>Up to <see cref="InlineRank"/> ints stored in the struct itself (no array per call).</summary>
    [InlineArray(InlineRank)]
    private struct InlineInts
    {
        private int _element;
    }

    /// <summary>One strided copy: coalesced strides and dims inline for small ranks, in arrays beyond.</summary>
    private struct Job : IElementAction
    {
        private readonly Tensor _src;
        private readonly int _srcOffset;
        private readonly Tensor _dst;
        private readonly int _dstOffset;
        private readonly int[]? _large;
        private InlineInts _ss;
        private InlineInts _ds;
        private InlineInts _dd;

        public Job(Tensor src, int srcOffset, Tensor dst, int dstOffset, int rank)
        {
            _src = src;
            _srcOffset = srcOffset;
            _dst = dst;
            _dstOffset = dstOffset;
            _large = rank > InlineRank ? new int[3 * rank] : null;
            Capacity = Math.Max(rank, 1);
        }

        public int Capacity { get; }

        public int Rank { get; set; }

        [UnscopedRef]
        public Span<int> SrcStrides => _large is null ? ((Span<int>)_ss)[..Capacity] : _large.AsSpan(0, Capacity);

        [UnscopedRef]
        public Span<int> DstStrides => _large is null ? ((Span<int>)_ds)[..Capacity] : _large.AsSpan(Capacity, Capacity);

        [UnscopedRef]
        public Span<int> Dims => _large is null ? ((Span<int>)_dd)[..Capacity] : _large.AsSpan(2 * Capacity, Capacity);

        public void Invoke<T>() =>
            Copy(Elements.Of<T>(_src), _srcOffset, SrcStrides[..Rank], Elements.Of<T>(_dst), _dstOffset, DstStrides[..Rank], Dims[..Rank]);
    }

    private static void Copy<T>(Span<T> src, int so, ReadOnlySpan<int> ss, Span<T> dst, int dOff, ReadOnlySpan<int> ds, ReadOnlySpan<int> dims)
    {
        int rank = dims.Length;
        int last = rank - 1;

        // A transpose-like copy (the innermost output dim is strided in the source, another dim p is
        // contiguous there) runs as cache-sized 2-D tiles over (p, last); everything else is an odometer.
        int p = -1;
        if (ss[last] != 1 && ds[last] == 1)
        {
            for (int k = last - 1; k >= 0 && p < 0; k--)
            {
                p = ss[k] == 1 ? k : -1;
            }
        }

        int outerRank = p >= 0 ? rank - 2 : rank - 1;
        Span<int> outerDims = stackalloc int[Math.Max(outerRank, 1)];
        Span<int> outerSs = stackalloc int[outerDims.Length];
        Span<int> outerDs = stackalloc int[outerDims.Length];
        long outer = 1;
        for (int k = 0, o = 0; k < last; k++)
        {
            if (k != p)
            {
                outerDims[o] = dims[k];
                outerSs[o] = ss[k];
                outerDs[o++] = ds[k];
                outer *= dims[k];
            }
        }

        int n = dims[last];
        int sInner = ss[last];
        int dInner = ds[last];
        Span<int> idx = stackalloc int[outerDims.Length];
        for (long o = 0; o < outer; o++)
        {
            if (p >= 0)
            {
                CopyTiles(src, so, sInner, dst, dOff, ds[p], dims[p], n);
            }
            else if (sInner == 1 && dInner == 1)
            {
                src.Slice(so, n).CopyTo(dst.Slice(dOff, n));
            }
            else if (sInner == 0 && dInner == 1)
            {
                dst.Slice(dOff, n).Fill(src[so]);
            }
            else
            {
                for (int i = 0, s = so, d = dOff; i < n; i++, s += sInner, d += dInner)
                {
                    dst[d] = src[s];
                }
            }

            // Odometer over the outer dims, moving both offsets incrementally.
            for (int k = outerRank - 1; k >= 0; k--)
            {
                so += outerSs[k];
                dOff += outerDs[k];
                if (++idx[k] < outerDims[k])
                {
                    break;
                }

                so -= outerSs[k] * outerDims[k];
                dOff -= outerDs[k] * outerDims[k];
                idx[k] = 0;
            }
        }
    }

    /// <summary>
    /// dst[dOff + i·dRow + j] = src[so + i + j·sCol] for i &lt; rows, j &lt; cols, in Tile×Tile blocks so the
    /// source columns and destination rows of a block stay in cache.
    /// </summary>
    private static void CopyTiles<T>(Span<T> src, int so, int sCol, Span<T> dst, int dOff, int dRow, int rows, int cols)
    {
        const int Tile = 16;

        // Bounds are checked once for the whole block (first and last element of both sides); the inner
        // loops then index through refs.
        _ = src[so + (rows - 1) + ((cols - 1) * sCol)];
        _ = dst[dOff + ((rows - 1) * dRow) + (cols - 1)];
        ref T s0 = ref MemoryMarshal.GetReference(src);
        ref T d0 = ref MemoryMarshal.GetReference(dst);
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int iEnd = Math.Min(rows, i0 + Tile);
            for (int j0 = 0; j0 < cols; j0 += Tile)
            {
                int jEnd = Math.Min(cols, j0 + Tile);
                for (int i = i0; i < iEnd; i++)
                {
                    ref T row = ref Unsafe.Add(ref d0, dOff + (i * dRow));
                    for (int j = j0, s = so + i + (j0 * sCol); j < jEnd; j++, s += sCol)
                    {
                        Unsafe.Add(ref row, j) = Unsafe.Add(ref s0, s);
                    }
                }
            }
        }
    }
}
