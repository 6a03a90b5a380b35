namespace OpenAutoGlm.Core;

/// <summary>Shape inference for the normalization ops with extra outputs (BatchNormalization, LayerNormalization) and Dropout.</summary>
public static class NormalizationSchema
{
    /// <summary>BatchNormalization: Y like X; running statistics (opset 14+) or mean/var/saved stats (older) like input_mean.</summary>
    public static void InferBatchNormalization(ShapeInferenceContext ctx)
    {
        ctx.SetOutput(0, ctx.InputType(0));
        for (int i = 1; i < ctx.OutputCount; i++)
        {
            ctx.SetOutput(i, ctx.InputType(Math.Min(i + 2, 4)) ?? ctx.InputType(1));
        }
    }

    /// <summary>LayerNormalization: Y like X; Mean and InvStdDev [d0, ..., d(axis-1), 1, ..., 1] in the stash type.</summary>
    public static void InferLayerNormalization(ShapeInferenceContext ctx)
    {
        ctx.SetOutput(0, ctx.InputType(0));
        if (ctx.OutputCount < 2)
        {
            return;
        }

        var stash = (DataType)ctx.Attributes.GetInt("stash_type", 1);
        var x = ctx.InputShape(0);
        Shape? stats = null;
        if (x is not null)
        {
            int axis = ctx.NormalizeAxis(ctx.Attributes.GetInt("axis", -1), x.Rank);
            stats = new Shape(x.Select((d, i) => i < axis ? d : Dim.Known(1)));
        }

        for (int i = 1; i < ctx.OutputCount; i++)
        {
            ctx.SetOutput(i, stash, stats);
        }
    }

    /// <summary>Dropout: output like data; mask of the same shape, bool from opset 10 (the data type before).</summary>
    public static void InferDropout(ShapeInferenceContext ctx)
    {
        ctx.SetOutput(0, ctx.InputType(0));
        if (ctx.OutputCount > 1)
        {
            ctx.SetOutput(1, ctx.Opset >= 10 ? DataType.Bool : ctx.InputElementType(0), ctx.InputShape(0));
        }
    }
}
