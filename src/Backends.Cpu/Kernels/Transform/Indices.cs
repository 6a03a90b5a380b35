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
}
