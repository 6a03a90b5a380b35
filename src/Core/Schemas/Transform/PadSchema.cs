namespace OpenAutoGlm.Core;

/// <summary>
/// Pad: output dim i = begin_i + dim_i + end_i. pads is an attribute before opset 11 ('paddings' in
/// opset 1), an input from 11; the optional axes input (opset 18) limits the padded axes.
/// </summary>
public static class PadSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        if (input is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        long[]? pads = ctx.Opset < 11 ? ctx.Attributes.GetInts(ctx.Opset < 2 ? "paddings" : "pads") : TransformShapes.ConstantInts(ctx, 1);
        long[]? axes = TransformShapes.ConstantInts(ctx, 3);
        if (pads is null || (ctx.Opset >= 11 && ctx.HasInput(3) && axes is null))
        {
            ctx.SetOutput(0, type, ShapeRules.UnknownDims(input.Rank));
            return;
        }

        long[] full = PerAxisPads(pads, axes, input.Rank, ctx.Error);
        int rank = input.Rank;
        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            long delta = full[i] + full[i + rank];
            if (delta == 0)
            {
                dims[i] = input[i];
            }
            else if (input[i].Value is long d)
            {
                if (d + delta < 0)
                {
                    throw ctx.Error($"pads {TransformShapes.FormatLongs(pads)} remove more than the {d} elements of axis {i}");
                }

                dims[i] = d + delta;
            }
            else
            {
                dims[i] = Dim.Unknown;
            }
        }

        ctx.SetOutput(0, type, new Shape(dims));
    }

    /// <summary>Expands pads given for <paramref name="axes"/> (all axes when null) to [begin_0..begin_r-1, end_0..end_r-1].</summary>
    public static long[] PerAxisPads(long[] pads, long[]? axes, int rank, Func<string, Exception> error)
    {
        int[] normAxes = axes is null ? Enumerable.Range(0, rank).ToArray() : TransformShapes.NormalizeAxes(axes, rank, error);
        int n = normAxes.Length;
        if (pads.Length != 2 * n)
        {
            throw error($"pads {TransformShapes.FormatLongs(pads)} must have {2 * n} entries (begin and end for {n} axes of an input of rank {rank})");
        }

        var full = new long[2 * rank];
        for (int i = 0; i < n; i++)
        {
            full[normAxes[i]] = pads[i];
            full[normAxes[i] + rank] = pads[i + n];
        }

        return full;
    }
}
