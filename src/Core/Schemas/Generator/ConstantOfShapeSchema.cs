namespace OpenAutoGlm.Core;

/// <summary>ConstantOfShape: output shape = the values of the 1-D int64 input; element type of the <c>value</c> attribute (float32 by default).</summary>
public static class ConstantOfShapeSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var value = ctx.Attributes.GetTensor("value");
        if (value is not null && value.Length != 1)
        {
            throw ctx.Error($"attribute 'value' must hold exactly one element, got shape {value.ShapeString}");
        }

        var type = value?.DataType ?? DataType.Float32;
        if (ctx.ConstantInput(0) is { } shape)
        {
            long[] dims = shape.ToInt64Array();
            foreach (long d in dims)
            {
                if (d < 0)
                {
                    throw ctx.Error($"input shape [{string.Join(",", dims)}] has a negative dimension");
                }
            }

            ctx.SetOutput(0, type, Shape.FromKnown(dims));
            return;
        }

        var inShape = ctx.InputShape(0);
        ctx.SetOutput(0, type, inShape is { Rank: 1 } && inShape[0].Value is long rank ? ShapeRules.UnknownDims((int)rank) : null);
    }
}
