using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>Reading and validating index inputs (Gather*, Scatter*): negative values wrap, out-of-range ones throw.</summary>
internal static class Indices
{
    /// <summary>Reads an int32/int64 index tensor.</summary>
    public static long[] Read(KernelContext ctx, Tensor indices, string name = "indices")
    {
        if (indices.DataType is not (DataType.Int32 or DataType.Int64))
        {
            throw ctx.Error($"{name} must be int32 or int64, got {indices.DataType.Name()}");
        }

        return indices.ToInt64Array();
    }

    /// <summary>Maps an index in [-dim, dim) to [0, dim); anything else throws naming the value and the valid range.</summary>
    public static int Wrap(KernelContext ctx, long index, int dim, int axis, string name = "indices")
    {
        if (index < -dim || index >= dim)
        {
            throw ctx.Error($"{name} value {index} is out of range [{-dim}, {dim}) for axis {axis} of size {dim}");
        }

        return (int)(index < 0 ? index + dim : index);
    }

    /// <summary>Wraps every index against one axis.</summary>
    public static int[] WrapAll(KernelContext ctx, long[] indices, int dim, int axis, string name = "indices")
    {
        var result = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            result[i] = Wrap(ctx, indices[i], dim, axis, name);
        }

        return result;
    }

    /// <summary>
    /// Flat data offsets for GatherElements/ScatterElements: position c of indices addresses data at c with
    /// c[axis] replaced by the (wrapped) index value. Indices dims must not exceed data dims off the axis.
    /// </summary>
    public static int[] ElementOffsets(KernelContext ctx, ReadOnlySpan<int> dataDims, Tensor indices, int axis)
    {
        int rank = dataDims.Length;
        if (indices.Rank != rank)
        {
            throw ctx.Error($"indices {indices.ShapeString} must have the rank of data {Core.Shape.Format(dataDims)}");
        }

        for (int k = 0; k < rank; k++)
        {
            if (k != axis && indices.Dims[k] > dataDims[k])
            {
                throw ctx.Error($"indices {indices.ShapeString} exceed data {Core.Shape.Format(dataDims)} in dimension {k}");
            }
        }

        long[] raw = Read(ctx, indices);
        int[] strides = Elements.Strides(dataDims);
        var offsets = new int[raw.Length];
        Span<int> coord = stackalloc int[rank];
        int baseOffset = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            offsets[i] = baseOffset + (Wrap(ctx, raw[i], dataDims[axis], axis) * strides[axis]);

            // Odometer over the indices dims; the base offset skips the axis, which the index replaces.
            for (int k = rank - 1; k >= 0; k--)
            {
                int step = k == axis ? 0 : strides[k];
                baseOffset += step;
                if (++coord[k] < indices.Dims[k])
                {
                    break;
                }

                baseOffset -= step * indices.Dims[k];
                coord[k] = 0;
            }
        }

        return offsets;
    }
}
