namespace OpenAutoGlm.Core;

/// <summary>Flatten: [d0..d(axis-1), d(axis)..d(r-1)] -> [prod(d0..d(axis-1)), prod(d(axis)..d(r-1))], axis in [-r, r].</summary>
public static class FlattenSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        if (input is null)
        {
            ctx.SetOutput(0, type, ShapeRules.UnknownDims(2));
            return;
        }

        int axis = NormalizeAxis(ctx.Attributes.GetInt("axis", 1), input.Rank, ctx.Error);
        ctx.SetOutput(0, type, new Shape(TransformShapes.Product(input.Take(axis)), TransformShapes.Product(input.Skip(axis))));
    }

    /// <summary>Flatten's axis lies in [-rank, rank]; axis = rank makes the second output dim 1.</summary>
    public static int NormalizeAxis(long axis, int rank, Func<string, Exception> error)
    {
        if (axis < -rank || axis > rank)
        {
            throw error($"axis {axis} is out of range [{-rank}, {rank}] for rank {rank}");
        }

        return (int)(axis < 0 ? axis + rank : axis);
    }
}
