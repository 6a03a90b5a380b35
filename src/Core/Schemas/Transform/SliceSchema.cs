namespace OpenAutoGlm.Core;

/// <summary>Slice: starts/ends/axes are attributes before opset 10, inputs (plus steps) from 10.</summary>
public static class SliceSchema
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

        long[]? starts, ends, axes, steps;
        if (ctx.Opset < 10)
        {
            starts = ctx.Attributes.GetInts("starts");
            ends = ctx.Attributes.GetInts("ends");
            axes = ctx.Attributes.GetInts("axes");
            steps = null;
        }
        else
        {
            starts = TransformShapes.ConstantInts(ctx, 1);
            ends = TransformShapes.ConstantInts(ctx, 2);
            axes = TransformShapes.ConstantInts(ctx, 3);
            steps = TransformShapes.ConstantInts(ctx, 4);
            bool axesUnknown = ctx.HasInput(3) && axes is null;
            bool stepsUnknown = ctx.HasInput(4) && steps is null;
            if (starts is null || ends is null || axesUnknown || stepsUnknown)
            {
                ctx.SetOutput(0, type, UnknownSlice(ctx, input, axes, axesUnknown));
                return;
            }
        }

        if (starts is null || ends is null)
        {
            ctx.SetOutput(0, type, ShapeRules.UnknownDims(input.Rank));
            return;
        }

        var (normAxes, normSteps) = Prepare(starts, ends, axes, steps, input.Rank, ctx.Error);
        var dims = input.ToArray();
        for (int i = 0; i < normAxes.Length; i++)
        {
            int axis = normAxes[i];
            if (dims[axis].Value is long d)
            {
                dims[axis] = TransformShapes.NormalizeSlice(starts[i], ends[i], normSteps[i], d).Count;
            }
            else if (!(starts[i] == 0 && normSteps[i] == 1 && ends[i] >= int.MaxValue))
            {
                dims[axis] = Dim.Unknown;
            }
        }

        ctx.SetOutput(0, type, new Shape(dims));
    }

    /// <summary>
    /// Validates slice parameters: starts/ends/axes/steps of one length, axes in range and distinct,
    /// steps non-zero. Returns the normalized axes (default 0..n-1) and steps (default 1).
    /// </summary>
    public static (int[] Axes, long[] Steps) Prepare(long[] starts, long[] ends, long[]? axes, long[]? steps, int rank, Func<string, Exception> error)
    {
        int n = starts.Length;
        if (ends.Length != n || (axes is not null && axes.Length != n) || (steps is not null && steps.Length != n))
        {
            throw error($"starts, ends, axes and steps must have the same length, got {n}, {ends.Length}, {axes?.Length.ToString() ?? "-"}, {steps?.Length.ToString() ?? "-"}");
        }

        if (axes is null && n > rank)
        {
            throw error($"{n} starts given for an input of rank {rank}");
        }

        int[] normAxes = axes is null ? Enumerable.Range(0, n).ToArray() : TransformShapes.NormalizeAxes(axes, rank, error);
        long[] normSteps = steps ?? Enumerable.Repeat(1L, n).ToArray();
        for (int i = 0; i < n; i++)
        {
            if (normSteps[i] == 0)
            {
                throw error($"steps {TransformShapes.FormatLongs(normSteps)} has a zero step for axis {normAxes[i]}");
            }
        }

        return (normAxes, normSteps);
    }

    private static Shape UnknownSlice(ShapeInferenceContext ctx, Shape input, long[]? axes, bool axesUnknown)
    {
        var dims = input.ToArray();
        if (axes is not null)
        {
            foreach (int a in TransformShapes.NormalizeAxes(axes, input.Rank, ctx.Error))
            {
                dims[a] = Dim.Unknown;
            }
        }
        else if (!axesUnknown && TransformShapes.KnownLength(ctx.InputShape(1)) is int n && n <= input.Rank)
        {
            for (int a = 0; a < n; a++)
            {
                dims[a] = Dim.Unknown;
            }
        }
        else
        {
            return ShapeRules.UnknownDims(input.Rank);
        }

        return new Shape(dims);
    }
}
