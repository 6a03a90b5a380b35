namespace OpenAutoGlm.Core;

/// <summary>Squeeze: removes the listed size-1 axes (attribute before opset 13, input from 13), or every size-1 axis.</summary>
public static class SqueezeSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        bool axesGiven = ctx.Opset >= 13 ? ctx.HasInput(1) : ctx.Attributes.Contains("axes");
        long[]? axes = TransformShapes.IntsFromAttributeOrInput(ctx, "axes", 1, 13);
        if (input is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        if (!axesGiven || axes is { Length: 0 })
        {
            // Which dims are 1 decides the rank: only known when every dim is known.
            ctx.SetOutput(0, type, input.IsFullyKnown ? new Shape(input.Where(d => d.Value != 1)) : null);
            return;
        }

        if (axes is null)
        {
            int? n = TransformShapes.KnownLength(ctx.InputShape(1));
            ctx.SetOutput(0, type, n is int k && k <= input.Rank ? ShapeRules.UnknownDims(input.Rank - k) : null);
            return;
        }

        int[] normalized = TransformShapes.NormalizeAxes(axes, input.Rank, ctx.Error);
        foreach (int a in normalized)
        {
            if (input[a].Value is long d && d != 1)
            {
                throw ctx.Error($"cannot squeeze axis {a} of input {input}: its size is {d}, not 1");
            }
        }

        ctx.SetOutput(0, type, new Shape(input.Where((_, i) => !normalized.Contains(i))));
    }
}
