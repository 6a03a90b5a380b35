using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Transform;

/// <summary>
/// OneHot: y[..., j, ...] = on_value if j == indices[...] (negative indices wrap by depth) else off_value,
/// with the depth axis inserted at axis (https://onnx.ai/onnx/operators/onnx__OneHot.html).
/// </summary>
internal sealed class OneHot : IKernel
{
    private readonly long _axis;

    public OneHot(KernelCreationContext ctx) => _axis = ctx.Attributes.GetInt("axis", -1);

    public void Compute(KernelContext ctx)
    {
        var indices = ctx.Input(0);
        int depth = (int)OneHotSchema.Depth(ctx.Input(1), ctx.Error);
        var values = ctx.Input(2);
        if (values.Length != 2)
        {
            throw ctx.Error($"values must hold [off_value, on_value], got shape {values.ShapeString}");
        }

        int axis = OneHotSchema.Axis(_axis, indices.Rank, ctx.Error);
        long[] idx = ReadIndices(ctx, indices);
        var dims = new List<int>(indices.Dims.ToArray());
        dims.Insert(axis, depth);
        var y = ctx.Output(0, values.DataType, dims.ToArray());
        var job = new Job(y, values, idx, depth, Elements.Product(indices.Dims, axis, indices.Rank));
        Elements.Dispatch(values.DataType, ref job);
    }

    /// <summary>Indices of any numeric type; non-integers are truncated toward zero (a cast to int64).</summary>
    private static long[] ReadIndices(KernelContext ctx, Tensor indices)
    {
        if (indices.DataType.IsInteger())
        {
            return indices.ToInt64Array();
        }

        if (!indices.DataType.IsFloatingPoint())
        {
            throw ctx.Error($"indices must be numeric, got {indices.DataType.Name()}");
        }

        double[] d = indices.ToDoubleArray();
        var result = new long[d.Length];
        for (int i = 0; i < d.Length; i++)
        {
            result[i] = double.IsNaN(d[i]) ? long.MinValue : (long)Math.Clamp(d[i], long.MinValue, long.MaxValue);
        }

        return result;
    }

    private readonly struct Job(Tensor y, Tensor values, long[] indices, int depth, int inner) : IElementAction
    {
        public void Invoke<T>()
        {
            var dst = Elements.Of<T>(y);
            var v = Elements.Of<T>(values);
            dst.Fill(v[0]);
            T on = v[1];
            for (int p = 0; p < indices.Length; p++)
            {
                long k = indices[p] < 0 ? indices[p] + depth : indices[p];
                if (k >= 0 && k < depth)
                {
                    // Position p = o·inner + i of indices lands at (o·depth + k)·inner + i of y.
                    int o = p / inner, i = p - (o * inner);
                    dst[(int)((((o * (long)depth) + k) * inner) + i)] = on;
                }
            }
        }
    }
}
