namespace OpenAutoGlm.Core;

/// <summary>Compress: keeps the slices (or, without axis, the flattened elements) whose condition is true.</summary>
public static class CompressSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        bool hasAxis = ctx.Attributes.Contains("axis");
        var condition = ctx.ConstantInput(1);
        if (condition is not null && condition.DataType != DataType.Bool)
        {
            throw ctx.Error($"condition must be a bool tensor, got {condition.DataType.Name()}");
        }

        Dim selected = Dim.Unknown;
        if (condition is not null)
        {
            Dim limit = !hasAxis ? input?.ElementCount is long n ? n : Dim.Unknown
                : input is null ? Dim.Unknown
                : input[TransformShapes.NormalizeAxis(ctx.Attributes.GetInt("axis"), input.Rank, ctx.Error)];
            if (limit.Value is long l)
            {
                selected = condition.AsReadOnlySpan<bool>()[..(int)Math.Min(l, condition.Length)].Count(true);
            }
        }

        if (!hasAxis)
        {
            ctx.SetOutput(0, type, new Shape(selected));
            return;
        }

        if (input is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        var dims = input.ToArray();
        dims[TransformShapes.NormalizeAxis(ctx.Attributes.GetInt("axis"), input.Rank, ctx.Error)] = selected;
        ctx.SetOutput(0, type, new Shape(dims));
    }
}
