namespace OpenAutoGlm.Core;

/// <summary>EyeLike: the 2-D shape of the input, element type from the <c>dtype</c> attribute or the input.</summary>
public static class EyeLikeSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var shape = ctx.InputShape(0);
        if (shape is not null && shape.Rank != 2)
        {
            throw ctx.Error($"input must be 2-D, got shape {shape}");
        }

        var type = ctx.Attributes.Contains("dtype") ? (DataType)ctx.Attributes.GetInt("dtype") : ctx.InputElementType(0);
        ctx.SetOutput(0, type, shape);
    }
}
