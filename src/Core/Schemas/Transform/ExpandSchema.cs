namespace OpenAutoGlm.Core;

/// <summary>Expand: bidirectional (numpy) broadcast of the input shape with the requested shape.</summary>
public static class ExpandSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        long[]? shape = TransformShapes.ConstantInts(ctx, 1);
        if (shape is not null)
        {
            if (shape.Any(d => d < 0))
            {
                throw ctx.Error($"shape {TransformShapes.FormatLongs(shape)} has a negative dimension");
            }

            ctx.SetOutput(0, type, input is null ? null : ShapeRules.Broadcast(input, Shape.FromKnown(shape), ctx));
            return;
        }

        if (input is null || TransformShapes.KnownLength(ctx.InputShape(1)) is not int n)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        // A dim of the input that is known and not 1 survives any valid shape; the rest are unknown.
        int rank = Math.Max(input.Rank, n);
        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            int src = i - (rank - input.Rank);
            dims[i] = src >= 0 && input[src].Value is long v && v != 1 ? v : Dim.Unknown;
        }

        ctx.SetOutput(0, type, new Shape(dims));
    }
}
