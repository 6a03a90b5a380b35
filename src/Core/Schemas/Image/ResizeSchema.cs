namespace OpenAutoGlm.Core;

/// <summary>
/// Resize (opset 10: X, scales; 11+: X, roi, scales, sizes) and Upsample (scales attribute in opset 7, input in 9):
/// output dims = sizes when given, else floor(in * scale) (times roi_end - roi_start for tf_crop_and_resize).
/// </summary>
public static class ResizeSchema
{
    public static void InferResize(ShapeInferenceContext ctx)
    {
        bool legacy = ctx.Opset < 11;
        var scales = ctx.ConstantInput(legacy ? 1 : 2);
        var sizes = legacy ? null : ctx.ConstantInput(3);
        var roi = legacy ? null : ctx.ConstantInput(1);
        bool crop = ctx.Attributes.GetString("coordinate_transformation_mode", "half_pixel") == "tf_crop_and_resize";
        Infer(ctx, scales is { Length: > 0 } ? scales.ToDoubleArray() : null, sizes is { Length: > 0 } ? sizes.ToInt64Array() : null, crop ? roi?.ToDoubleArray() : null,
            (ctx.HasInput(legacy ? 1 : 2) && scales is null) || (!legacy && ctx.HasInput(3) && sizes is null));
    }

    public static void InferUpsample(ShapeInferenceContext ctx)
    {
        double[]? scales = ctx.Opset < 9 ? ctx.Attributes.GetFloats("scales")?.Select(f => (double)f).ToArray() : ctx.ConstantInput(1)?.ToDoubleArray();
        Infer(ctx, scales, null, null, scales is null);
    }

    private static void Infer(ShapeInferenceContext ctx, double[]? scales, long[]? sizes, double[]? roi, bool unknownParameters)
    {
        var type = ctx.InputElementType(0);
        var x = ctx.InputShape(0);
        if (x is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        int rank = x.Rank;
        if (sizes is not null && sizes.Length != rank)
        {
            throw ctx.Error($"sizes has {sizes.Length} values for input rank {rank}");
        }

        if (sizes is null && scales is not null && scales.Length != rank)
        {
            throw ctx.Error($"scales has {scales.Length} values for input rank {rank}");
        }

        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            if (sizes is not null)
            {
                dims[i] = sizes[i];
            }
            else if (scales is not null && !unknownParameters && x[i].Value is long n)
            {
                double extent = roi is { } r && r.Length == 2 * rank ? r[i + rank] - r[i] : 1;
                dims[i] = (long)Math.Floor(n * scales[i] * extent);
            }
            else
            {
                dims[i] = Dim.Unknown;
            }
        }

        ctx.SetOutput(0, type, new Shape(dims));
    }
}
