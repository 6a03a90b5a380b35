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
        int n = dims[rank - 1];
        int sInner = ss[rank - 1];
        int dInner = ds[rank - 1];
        long outer = 1;
        for (int k = 0; k < rank - 1; k++)
        {
            outer *= dims[k];
        }

        Span<int> idx = stackalloc int[rank];
        for (long o = 0; o < outer; o++)
        {
            if (sInner == 1 && dInner == 1)
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
            for (int k = rank - 2; k >= 0; k--)
            {
                so += ss[k];
                dOff += ds[k];
                if (++idx[k] < dims[k])
                {
                    break;
                }

                so -= ss[k] * dims[k];
                dOff -= ds[k] * dims[k];
                idx[k] = 0;
            }
        }
    }
}
