namespace OpenAutoGlm.Core;

/// <summary>Unsqueeze: inserts size-1 axes at the given output positions (attribute before opset 13, input from 13).</summary>
public static class UnsqueezeSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        long[]? axes = TransformShapes.IntsFromAttributeOrInput(ctx, "axes", 1, 13);
        if (input is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        if (axes is null)
        {
            int? n = ctx.Opset >= 13 ? TransformShapes.KnownLength(ctx.InputShape(1)) : null;
            ctx.SetOutput(0, type, n is int k ? ShapeRules.UnknownDims(input.Rank + k) : null);
            return;
        }

        bool[] inserted = InsertedAxes(input.Rank, axes, ctx.Error);
        var dims = new Dim[inserted.Length];
        for (int i = 0, src = 0; i < dims.Length; i++)
        {
            dims[i] = inserted[i] ? 1 : input[src++];
        }

        ctx.SetOutput(0, type, new Shape(dims));
    }

    /// <summary>Marks the inserted positions of the output (rank = input rank + axes count); axes must be distinct.</summary>
    public static bool[] InsertedAxes(int inputRank, long[] axes, Func<string, Exception> error)
    {
        int rank = inputRank + axes.Length;
        var inserted = new bool[rank];
        foreach (int a in TransformShapes.NormalizeAxes(axes, rank, error))
        {
            inserted[a] = true;
        }

        return inserted;
    }
}
