namespace OpenAutoGlm.Core;

/// <summary>Where: bool condition, X and Y of one dtype; output has that dtype and the broadcast of all three shapes.</summary>
public static class WhereSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var c = ctx.InputElementType(0);
        if (c != DataType.Undefined && c != DataType.Bool)
        {
            throw ctx.Error($"condition must be bool, got {c.Name()}");
        }

        var x = ctx.InputElementType(1);
        var y = ctx.InputElementType(2);
        if (x != DataType.Undefined && y != DataType.Undefined && x != y)
        {
            throw ctx.Error($"X and Y must have the same dtype, got {x.Name()} and {y.Name()}");
        }

        ctx.SetOutput(0, x != DataType.Undefined ? x : y, ShapeRules.BroadcastAll(ctx));
    }
}
