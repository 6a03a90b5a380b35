namespace OpenAutoGlm.Core;

/// <summary>DepthToSpace: [N, C, H, W] -> [N, C / b², H·b, W·b]; SpaceToDepth is the inverse.</summary>
public static class DepthToSpaceSchema
{
    public static void InferDepthToSpace(ShapeInferenceContext ctx) => Infer(ctx, toSpace: true);

    public static void InferSpaceToDepth(ShapeInferenceContext ctx) => Infer(ctx, toSpace: false);

    private static void Infer(ShapeInferenceContext ctx, bool toSpace)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        long b = ctx.Attributes.GetInt("blocksize");
        if (b <= 0)
        {
            throw ctx.Error($"blocksize must be positive, got {b}");
        }

        if (input is null)
        {
            ctx.SetOutput(0, type, ShapeRules.UnknownDims(4));
            return;
        }

        if (input.Rank != 4)
        {
            throw ctx.Error($"input must have rank 4 (N, C, H, W), got {input}");
        }

        Dim Mul(Dim d, long f) => d.Value is long v ? v * f : Dim.Unknown;
        Dim Div(Dim d, long f, string what) => d.Value is long v
            ? v % f == 0 ? v / f : throw ctx.Error($"{what} {v} of input {input} is not divisible by {f}")
            : Dim.Unknown;

        var shape = toSpace
            ? new Shape(input[0], Div(input[1], b * b, "channel count"), Mul(input[2], b), Mul(input[3], b))
            : new Shape(input[0], Mul(input[1], b * b), Div(input[2], b, "height"), Div(input[3], b, "width"));
        ctx.SetOutput(0, type, shape);
    }
}
