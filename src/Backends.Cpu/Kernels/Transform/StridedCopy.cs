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
    public static void Run(Tensor src, int srcOffset, ReadOnlySpan<int> srcStrides, Tensor dst, int dstOffset, ReadOnlySpan<int> dstStrides, ReadOnlySpan<int> dims)
    {
        if (!Coalesce(srcStrides, dstStrides, dims, out int[] ss, out int[] ds, out int[] dd))
        {
            return;
        }

        var job = new Job(src, srcOffset, ss, dst, dstOffset, ds, dd);
        Elements.Dispatch(src.DataType, ref job);
    }

    /// <summary>Copies all of <paramref name="src"/> (contiguous) into <paramref name="dst"/> viewed through strides.</summary>
    public static void Run(Tensor src, int srcOffset, ReadOnlySpan<int> srcStrides, Tensor dst, ReadOnlySpan<int> dims) =>
        Run(src, srcOffset, srcStrides, dst, 0, Elements.Strides(dims), dims);

    /// <summary>
    /// dst = transpose(reshape(src, viewDims), perm), dst contiguous: the "reshape, transpose, reshape"
    /// of DepthToSpace, SpaceToDepth and Transpose itself.
    /// </summary>
    public static void RunPermuted(Tensor src, ReadOnlySpan<int> viewDims, ReadOnlySpan<int> perm, Tensor dst)
    {
        int[] viewStrides = Elements.Strides(viewDims);
        var dims = new int[perm.Length];
        var strides = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++)
        {
            dims[i] = viewDims[perm[i]];
            strides[i] = viewStrides[perm[i]];
        }

        Run(src, 0, strides, dst, dims);
    }

    /// <summary>Drops size-1 dims and merges contiguous neighbours; false when there is nothing to copy.</summary>
    private static bool Coalesce(ReadOnlySpan<int> srcStrides, ReadOnlySpan<int> dstStrides, ReadOnlySpan<int> dims, out int[] ss, out int[] ds, out int[] dd)
    {
        var s = new List<int>(dims.Length);
        var d = new List<int>(dims.Length);
        var n = new List<int>(dims.Length);
        for (int k = 0; k < dims.Length; k++)
        {
            if (dims[k] == 0)
            {
                ss = ds = dd = [];
                return false;
            }

            if (dims[k] == 1)
            {
                continue;
            }

            int last = n.Count - 1;
            if (last >= 0 && s[last] == srcStrides[k] * dims[k] && d[last] == dstStrides[k] * dims[k])
            {
                n[last] *= dims[k];
                s[last] = srcStrides[k];
                d[last] = dstStrides[k];
            }
            else
            {
                s.Add(srcStrides[k]);
                d.Add(dstStrides[k]);
                n.Add(dims[k]);
            }
        }

        if (n.Count == 0)
        {
            (ss, ds, dd) = ([1], [1], [1]);
            return true;
        }

        (ss, ds, dd) = (s.ToArray(), d.ToArray(), n.ToArray());
        return true;
    }

    private readonly struct Job(Tensor src, int srcOffset, int[] srcStrides, Tensor dst, int dstOffset, int[] dstStrides, int[] dims) : IElementAction
    {
        public void Invoke<T>() => Copy(Elements.Of<T>(src), srcOffset, srcStrides, Elements.Of<T>(dst), dstOffset, dstStrides, dims);
    }

    private static void Copy<T>(Span<T> src, int so, int[] ss, Span<T> dst, int dOff, int[] ds, int[] dims)
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
