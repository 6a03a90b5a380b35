namespace OpenAutoGlm.Core;

/// <summary>Transpose: output dim i = input dim perm[i]; perm defaults to the reversed axes.</summary>
public static class TransposeSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var perm = ctx.Attributes.GetInts("perm");
        var input = ctx.InputShape(0);
        if (input is null)
        {
            ctx.SetOutput(0, type, perm is null ? null : ShapeRules.UnknownDims(perm.Length));
            return;
        }

        int[] p = TransformShapes.ResolvePermutation(perm, input.Rank, ctx.Error);
        ctx.SetOutput(0, type, new Shape(p.Select(axis => input[axis])));
    }
}
