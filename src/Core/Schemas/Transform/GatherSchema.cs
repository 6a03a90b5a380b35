namespace OpenAutoGlm.Core;

/// <summary>Gather: output = data.shape[:axis] + indices.shape + data.shape[axis+1:].</summary>
public static class GatherSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var data = ctx.InputShape(0);
        var indices = ctx.InputShape(1);
        if (data is null || indices is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        if (data.Rank == 0)
        {
            throw ctx.Error("data must have rank >= 1, got a scalar");
        }

        int axis = TransformShapes.NormalizeAxis(ctx.Attributes.GetInt("axis", 0), data.Rank, ctx.Error);
        ctx.SetOutput(0, type, new Shape(data.Take(axis).Concat(indices).Concat(data.Skip(axis + 1))));
    }
}
