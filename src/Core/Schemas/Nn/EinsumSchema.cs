namespace OpenAutoGlm.Core;

/// <summary>Shape inference for Einsum: output dims are the sizes of the output labels.</summary>
public static class EinsumSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ShapeRules.FirstKnownElementType(ctx);
        string equation = ctx.Attributes.GetString("equation");
        var shapes = Enumerable.Range(0, ctx.InputCount).Select(ctx.InputShape).ToList();
        if (shapes.Any(s => s is null))
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        try
        {
            var eq = EinsumEquation.Parse(equation, shapes.Select(s => s!.Rank).ToList());
            var sizes = eq.LabelSizes(shapes.Select(s => (IReadOnlyList<long?>)s!.Select(d => d.Value).ToList()).ToList());
            ctx.SetOutput(0, type, new Shape(eq.OutputLabels.Select(l => sizes[l] is long v ? Dim.Known(v) : Dim.Unknown)));
        }
        catch (FormatException ex)
        {
            throw ctx.Error(ex.Message);
        }
    }
}
