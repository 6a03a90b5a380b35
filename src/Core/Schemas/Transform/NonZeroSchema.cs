namespace OpenAutoGlm.Core;

/// <summary>NonZero: int64 [rank, count] coordinates of the non-zero elements; count is data-dependent.</summary>
public static class NonZeroSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var input = ctx.InputShape(0);
        ctx.SetOutput(0, DataType.Int64, new Shape(input is null ? Dim.Unknown : input.Rank, Dim.Unknown));
    }
}
