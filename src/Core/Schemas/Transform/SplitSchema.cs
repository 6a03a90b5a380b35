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
            split = ctx.ConstantInput(1)?.ToInt64Array();
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
            if (dim.Value is long d && d % n != 0)
            {
                throw ctx.Error($"dimension {axis} of input {input} ({d}) cannot be split into {n} equal parts");
            }

            Array.Fill(parts, dim.Value is long v ? v / n : Dim.Unknown);
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
