namespace OpenAutoGlm.Core;

/// <summary>
/// Shape: the input dims [start, end) as int64 (start/end from opset 15, clamped like slice bounds). The
/// output is a constant whenever those dims are known, which lets static shape subgraphs fold.
/// </summary>
public static class ShapeSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var input = ctx.InputShape(0);
        if (input is null)
        {
            ctx.SetOutput(0, DataType.Int64, ShapeRules.UnknownDims(1));
            return;
        }

        var (start, count) = Range(ctx.Opset, ctx.Attributes, input.Rank);
        var dims = input.Skip(start).Take(count).ToArray();
        if (Array.TrueForAll(dims, d => d.IsKnown))
        {
            ctx.SetOutputConstant(0, Tensor.Create(dims.Select(d => d.Value!.Value).ToArray(), dims.Length));
        }
        else
        {
            ctx.SetOutput(0, DataType.Int64, new Shape(count));
        }
    }

    /// <summary>The first dim and the count of dims Shape returns for an input of <paramref name="rank"/>.</summary>
    public static (int Start, int Count) Range(long opset, AttributeCollection attributes, int rank)
    {
        if (opset < 15)
        {
            return (0, rank);
        }

        long start = Clamp(attributes.GetInt("start", 0), rank);
        long end = Clamp(attributes.GetInt("end", rank), rank);
        return ((int)start, (int)Math.Max(0, end - start));

        static long Clamp(long v, int rank) => Math.Clamp(v < 0 ? v + rank : v, 0, rank);
    }
}
