namespace OpenAutoGlm.Core;

/// <summary>Reshape: 0 copies the input dim (unless allowzero, opset 14), -1 is inferred; shape is an attribute before opset 5.</summary>
public static class ReshapeSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        long[]? requested = TransformShapes.IntsFromAttributeOrInput(ctx, "shape", 1, 5);
        if (requested is null)
        {
            int? rank = ctx.Opset >= 5 ? TransformShapes.KnownLength(ctx.InputShape(1)) : null;
            ctx.SetOutput(0, type, rank is int r ? ShapeRules.UnknownDims(r) : null);
            return;
        }

        bool allowZero = ctx.Opset >= 14 && ctx.Attributes.GetInt("allowzero", 0) != 0;
        ctx.SetOutput(0, type, TransformShapes.ResolveReshape(requested, ctx.InputShape(0), allowZero, ctx.Error));
    }
}
