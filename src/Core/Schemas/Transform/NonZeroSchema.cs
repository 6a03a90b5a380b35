namespace OpenAutoGlm.Core;

/// <summary>NonZero: int64 [rank, count] coordinates of the non-zero elements (a scalar counts as rank 1); count is data-dependent.</summary>
public static class NonZeroSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var input = ctx.InputShape(0);
        ctx.SetOutput(0, DataType.Int64, new Shape(input is null ? Dim.Unknown : Math.Max(input.Rank, 1), Dim.Unknown));
    }
}
