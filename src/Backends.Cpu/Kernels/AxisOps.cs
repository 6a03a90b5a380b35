using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Kernels;

/// <summary>
/// Element-type-agnostic block copies along one axis (numeric tensors by bytes, string tensors by reference):
/// narrowing, taking one index, concatenating and stacking. Used by Scan, Loop and the sequence ops.
/// Callers validate axes and shapes; these helpers assume valid arguments.
/// </summary>
internal static class AxisOps
{
    /// <summary>src[..., start:start+length, ...] along <paramref name="axis"/> (same rank).</summary>
    public static Tensor Narrow(Tensor src, int axis, int start, int length)
    {
        var dims = src.DimsArray();
        int outer = Product(dims.AsSpan(0, axis));
        int inner = Product(dims.AsSpan(axis + 1));
        int full = dims[axis];
        dims[axis] = length;
        var dst = Tensor.Allocate(src.DataType, dims);
        for (int o = 0; o < outer; o++)
        {
            Copy(src, ((o * full) + start) * inner, dst, o * length * inner, length * inner);
        }

        return dst;
    }

    /// <summary>src[..., index, ...]: the slice at <paramref name="index"/> with <paramref name="axis"/> removed.</summary>
    public static Tensor Take(Tensor src, int axis, int index)
    {
        var slice = Narrow(src, axis, index, 1);
        var dims = src.DimsArray().Where((_, i) => i != axis).ToArray();
        return slice.Reshape(dims);
    }

    /// <summary>Concatenates tensors of equal rank and dims (except <paramref name="axis"/>) along <paramref name="axis"/>.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> items, int axis)
    {
        var dims = items[0].DimsArray();
        dims[axis] = items.Sum(t => t.Dims[axis]);
        var dst = Tensor.Allocate(items[0].DataType, dims);
        int outer = Product(dims.AsSpan(0, axis));
        int inner = Product(dims.AsSpan(axis + 1));
        int offset = 0;
        for (int o = 0; o < outer; o++)
        {
            foreach (var item in items)
            {
                int block = item.Dims[axis] * inner;
                Copy(item, o * block, dst, offset, block);
                offset += block;
            }
        }

        return dst;
    }

    /// <summary>Stacks tensors of identical dims on a new axis at <paramref name="axis"/> (0..rank).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> items, int axis)
    {
        var expanded = items.Select(t =>
        {
            var d = t.DimsArray().ToList();
            d.Insert(axis, 1);
            return t.Reshape(d.ToArray());
        }).ToList();
        return Concat(expanded, axis);
    }

    /// <summary>Writes <paramref name="slice"/> (dims of <paramref name="dst"/> without <paramref name="axis"/>) at index <paramref name="index"/>.</summary>
    public static void Put(Tensor dst, int axis, int index, Tensor slice)
    {
        var dims = dst.Dims;
        int outer = Product(dims[..axis]);
        int inner = Product(dims[(axis + 1)..]);
        int full = dims[axis];
        for (int o = 0; o < outer; o++)
        {
            Copy(slice, o * inner, dst, ((o * full) + index) * inner, inner);
        }
    }

    /// <summary>Copies <paramref name="count"/> elements between tensors of the same element type.</summary>
    public static void Copy(Tensor src, int srcStart, Tensor dst, int dstStart, int count)
    {
        if (count == 0)
        {
            return;
        }

        if (src is StringTensor s)
        {
            Array.Copy(s.Data, srcStart, ((StringTensor)dst).Data, dstStart, count);
            return;
        }

        int e = src.DataType.SizeOf();
        src.AsBytes().Slice(srcStart * e, count * e).CopyTo(dst.AsBytes().Slice(dstStart * e));
    }

    public static int Product(ReadOnlySpan<int> dims)
    {
        int n = 1;
        foreach (int d in dims)
        {
            n *= d;
        }

        return n;
    }
}
