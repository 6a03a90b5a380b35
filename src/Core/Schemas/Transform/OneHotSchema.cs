namespace OpenAutoGlm.Core;

/// <summary>OneHot: inserts a depth-sized axis into the indices shape at axis (default -1); element type of values.</summary>
public static class OneHotSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(2);
        var indices = ctx.InputShape(0);
        if (indices is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        Dim depth = Dim.Unknown;
        if (ctx.ConstantInput(1) is { } d)
        {
            depth = Depth(d, ctx.Error);
        }

        int axis = Axis(ctx.Attributes.GetInt("axis", -1), indices.Rank, ctx.Error);
        var dims = indices.ToList();
        dims.Insert(axis, depth);
        ctx.SetOutput(0, type, new Shape(dims));
    }

    /// <summary>The depth scalar (any numeric type, truncated to an integer); must be positive.</summary>
    public static long Depth(Tensor depth, Func<string, Exception> error)
    {
        if (depth.Length != 1 || !depth.DataType.IsNumeric())
        {
            throw error($"depth must be a numeric scalar or one-element tensor, got {depth.DataType.Name()}{depth.ShapeString}");
        }

        double v = depth.ToDoubleArray()[0];
        if (!(v >= 1) || v > int.MaxValue)
        {
            throw error($"depth must be a positive integer, got {v}");
        }

        return (long)v;
    }

    /// <summary>OneHot's axis indexes the output, so it lies in [-r-1, r] for indices of rank r.</summary>
    public static int Axis(long axis, int indicesRank, Func<string, Exception> error) =>
        TransformShapes.NormalizeAxis(axis, indicesRank + 1, error);
}
