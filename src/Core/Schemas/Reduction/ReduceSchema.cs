namespace OpenAutoGlm.Core;

/// <summary>
/// Shape inference for the Reduce* ops (axes attribute, or axes input from opset 13 for ReduceSum and 18 for
/// the others; keepdims; noop_with_empty_axes) and for ArgMax/ArgMin (one axis, int64 result).
/// </summary>
public static class ReduceSchema
{
    /// <summary>The first opset where <paramref name="opType"/> takes axes as input 1 instead of an attribute.</summary>
    public static int AxesInputSince(string opType) => opType == "ReduceSum" ? 13 : 18;

    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var x = ctx.InputShape(0);
        bool keepDims = ctx.Attributes.GetInt("keepdims", 1) != 0;
        bool noopWithEmptyAxes = ctx.Attributes.GetInt("noop_with_empty_axes", 0) != 0;
        long[]? axes;
        if (ctx.Opset >= AxesInputSince(ctx.Node.OpType))
        {
            if (ctx.HasInput(1))
            {
                var constant = ctx.ConstantInput(1);
                if (constant is null)
                {
                    // Axes known only at run time: with keepdims the rank survives.
                    ctx.SetOutput(0, type, keepDims && x is not null ? ShapeRules.UnknownDims(x.Rank) : null);
                    return;
                }

                axes = constant.ToInt64Array();
            }
            else
            {
                axes = null;
            }
        }
        else
        {
            axes = ctx.Attributes.GetInts("axes");
        }

        if (x is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        if (axes is null || axes.Length == 0)
        {
            if (noopWithEmptyAxes)
            {
                ctx.SetOutput(0, type, x);
                return;
            }

            axes = Enumerable.Range(0, x.Rank).Select(i => (long)i).ToArray();
        }

        var reduced = new bool[x.Rank];
        foreach (long a in axes)
        {
            reduced[ctx.NormalizeAxis(a, x.Rank, "reduction axis")] = true;
        }

        var dims = new List<Dim>();
        for (int i = 0; i < x.Rank; i++)
        {
            if (!reduced[i])
            {
                dims.Add(x[i]);
            }
            else if (keepDims)
            {
                dims.Add(1);
            }
        }

        ctx.SetOutput(0, type, new Shape(dims));
    }

    public static void InferArgReduce(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        if (x is null)
        {
            ctx.SetOutput(0, DataType.Int64, null);
            return;
        }

        int axis = ctx.NormalizeAxis(ctx.Attributes.GetInt("axis", 0), x.Rank);
        bool keepDims = ctx.Attributes.GetInt("keepdims", 1) != 0;
        var dims = new List<Dim>();
        for (int i = 0; i < x.Rank; i++)
        {
            if (i != axis)
            {
                dims.Add(x[i]);
            }
            else if (keepDims)
            {
                dims.Add(1);
            }
        }

        ctx.SetOutput(0, DataType.Int64, new Shape(dims));
    }
}
