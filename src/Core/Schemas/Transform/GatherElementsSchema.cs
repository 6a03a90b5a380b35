namespace OpenAutoGlm.Core;

/// <summary>GatherElements: the output has the shape of indices and the element type of data.</summary>
public static class GatherElementsSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var data = ctx.InputShape(0);
        var indices = ctx.InputShape(1);
        if (data is not null && indices is not null)
        {
            if (data.Rank != indices.Rank)
            {
                throw ctx.Error($"data {data} and indices {indices} must have the same rank");
            }

            TransformShapes.NormalizeAxis(ctx.Attributes.GetInt("axis", 0), data.Rank, ctx.Error);
        }

        ctx.SetOutput(0, ctx.InputElementType(0), indices);
    }
}
