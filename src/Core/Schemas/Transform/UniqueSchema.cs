namespace OpenAutoGlm.Core;

/// <summary>
/// Unique: Y (unique values or slices along axis), indices (first occurrences), inverse_indices (one per
/// input element or slice) and counts. Only inverse_indices has a shape known before running.
/// </summary>
public static class UniqueSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        bool hasAxis = ctx.Attributes.Contains("axis");
        Dim perInput = Dim.Unknown;
        Shape? y;
        if (!hasAxis)
        {
            y = ShapeRules.UnknownDims(1);
            perInput = input?.ElementCount is long n ? n : Dim.Unknown;
        }
        else if (input is null)
        {
            y = null;
        }
        else
        {
            int axis = TransformShapes.NormalizeAxis(ctx.Attributes.GetInt("axis"), input.Rank, ctx.Error);
            var dims = input.ToArray();
            perInput = dims[axis];
            dims[axis] = Dim.Unknown;
            y = new Shape(dims);
        }

        ctx.SetOutput(0, type, y);
        ctx.SetOutput(1, DataType.Int64, ShapeRules.UnknownDims(1));
        ctx.SetOutput(2, DataType.Int64, new Shape(perInput));
        ctx.SetOutput(3, DataType.Int64, ShapeRules.UnknownDims(1));
    }
}
