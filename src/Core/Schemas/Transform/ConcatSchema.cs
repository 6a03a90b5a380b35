namespace OpenAutoGlm.Core;

/// <summary>Concat: dims agree except along axis, where they add up (axis defaults to 1 before opset 4).</summary>
public static class ConcatSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ShapeRules.FirstKnownElementType(ctx);
        long axisAttr = ctx.Opset < 4 ? ctx.Attributes.GetInt("axis", 1) : ctx.Attributes.GetInt("axis");
        var shapes = new List<Shape?>();
        for (int i = 0; i < ctx.InputCount; i++)
        {
            if (ctx.HasInput(i))
            {
                shapes.Add(ctx.InputShape(i));
            }
        }

        var first = shapes.FirstOrDefault(s => s is not null);
        if (first is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        int rank = first.Rank;
        int axis = TransformShapes.NormalizeAxis(axisAttr, rank, ctx.Error);
        var dims = new Dim[rank];
        for (int d = 0; d < rank; d++)
        {
            dims[d] = first[d];
        }

        bool sumKnown = true;
        long sum = 0;
        foreach (var s in shapes)
        {
            if (s is null)
            {
                sumKnown = false;
                continue;
            }

            if (s.Rank != rank)
            {
                throw ctx.Error($"all inputs must have the same rank, got {first} and {s}");
            }

            for (int d = 0; d < rank; d++)
            {
                if (d == axis)
                {
                    if (s[d].Value is long v)
                    {
                        sum += v;
                    }
                    else
                    {
                        sumKnown = false;
                    }
                }
                else if (s[d].IsKnown)
                {
                    if (dims[d].IsKnown && dims[d].Value != s[d].Value)
                    {
                        throw ctx.Error($"inputs {first} and {s} differ in dimension {d}, which is not the concat axis {axis}");
                    }

                    dims[d] = s[d];
                }
            }
        }

        dims[axis] = sumKnown ? sum : Dim.Unknown;
        ctx.SetOutput(0, type, new Shape(dims));
    }
}
