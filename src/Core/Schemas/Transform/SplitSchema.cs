namespace OpenAutoGlm.Core;

/// <summary>Split: parts along axis from the split sizes (attribute before opset 13, input from 13) or equal parts.</summary>
public static class SplitSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        int n = ctx.OutputCount;
        if (input is null)
        {
            for (int i = 0; i < n; i++)
            {
                ctx.SetOutput(i, type, null);
            }

            return;
        }

        int axis = TransformShapes.NormalizeAxis(ctx.Attributes.GetInt("axis", 0), input.Rank, ctx.Error);
        bool splitGiven;
        long[]? split;
        if (ctx.Opset >= 13 || (ctx.Opset < 2 && ctx.HasInput(1)))
        {
            splitGiven = ctx.HasInput(1);
            split = TransformShapes.ConstantInts(ctx, 1);
        }
        else
        {
            split = ctx.Attributes.GetInts("split");
            splitGiven = split is not null;
        }

        var dim = input[axis];
        var parts = new Dim[n];
        if (!splitGiven)
        {
            if (dim.Value is long d)
            {
                long[] sizes = EqualParts(d, n, axis, UnevenAllowed(ctx.Opset, ctx.Attributes, n, ctx.Error), ctx.Error);
                for (int i = 0; i < n; i++)
                {
                    parts[i] = sizes[i];
                }
            }
            else
            {
                Array.Fill(parts, Dim.Unknown);
            }
        }
        else if (split is null)
        {
            Array.Fill(parts, Dim.Unknown);
        }
        else
        {
            CheckSplit(split, n, dim, axis, ctx.Error);
            for (int i = 0; i < n; i++)
            {
                parts[i] = split[i];
            }
        }

        for (int i = 0; i < n; i++)
        {
            var dims = input.ToArray();
            dims[axis] = parts[i];
            ctx.SetOutput(i, type, new Shape(dims));
        }
    }

    /// <summary>
    /// Split-18's num_outputs (which must match the output count) allows an uneven split: every part but
    /// the last gets ceil(dim / n).
    /// </summary>
    public static bool UnevenAllowed(long opset, AttributeCollection attributes, int outputs, Func<string, Exception> error)
    {
        if (opset < 18 || !attributes.Contains("num_outputs"))
        {
            return false;
        }

        long n = attributes.GetInt("num_outputs");
        if (n != outputs)
        {
            throw error($"num_outputs is {n} but the node has {outputs} outputs");
        }

        return true;
    }

    /// <summary>Sizes of n parts of a dimension: equal, or (uneven allowed) ceil(dim / n) with a smaller last part.</summary>
    public static long[] EqualParts(long dim, int n, int axis, bool unevenAllowed, Func<string, Exception> error)
    {
        if (dim % n == 0)
        {
            return Enumerable.Repeat(dim / n, n).ToArray();
        }

        long size = (dim + n - 1) / n;
        if (!unevenAllowed || size * (n - 1) > dim)
        {
            throw error($"dimension {axis} of size {dim} cannot be split into {n} equal parts");
        }

        var sizes = Enumerable.Repeat(size, n).ToArray();
        sizes[^1] = dim - (size * (n - 1));
        return sizes;
    }

    /// <summary>Validates explicit split sizes: one per output, non-negative, summing to the axis length.</summary>
    public static void CheckSplit(long[] split, int outputs, Dim dim, int axis, Func<string, Exception> error)
    {
        if (split.Length != outputs)
        {
            throw error($"split {TransformShapes.FormatLongs(split)} has {split.Length} entries but the node has {outputs} outputs");
        }

        if (split.Any(s => s < 0))
        {
            throw error($"split {TransformShapes.FormatLongs(split)} has a negative size");
        }

        if (dim.Value is long d && split.Sum() != d)
        {
            throw error($"split {TransformShapes.FormatLongs(split)} sums to {split.Sum()} but dimension {axis} has size {d}");
        }
    }
}
