namespace OpenAutoGlm.Core;

/// <summary>Shape inference for the pooling ops: windowed (MaxPool, AveragePool, LpPool), global, and MaxUnpool.</summary>
public static class PoolSchema
{
    /// <summary>MaxPool / AveragePool / LpPool: Y [N, C, out1..outn]; MaxPool's optional Indices output is int64 of the same shape.</summary>
    public static void InferWindowed(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var x = ctx.InputShape(0);
        Shape? result = null;
        if (x is not null)
        {
            if (x.Rank < 3)
            {
                throw ctx.Error($"input X must have rank >= 3 ([N, C, D1, ...]), got shape {x}");
            }

            int spatial = x.Rank - 2;
            var geometry = ConvGeometry.Parse(ctx.Node);
            if (geometry.Validate(spatial, kernelRequired: true) is { } error)
            {
                throw ctx.Error(error);
            }

            var dims = new Dim[x.Rank];
            dims[0] = x[0];
            dims[1] = x[1];
            for (int i = 0; i < spatial; i++)
            {
                if (x[i + 2].Value is long input)
                {
                    long output = geometry.Forward(i, spatial, input, geometry.KernelShape![i]).Output;
                    if (output <= 0)
                    {
                        throw ctx.Error($"kernel_shape [{string.Join(",", geometry.KernelShape)}] does not fit input {x} (output dimension {i + 2} would be {output})");
                    }

                    dims[i + 2] = output;
                }
                else
                {
                    dims[i + 2] = Dim.Unknown;
                }
            }

            result = new Shape(dims);
        }

        ctx.SetOutput(0, type, result);
        if (ctx.OutputCount > 1)
        {
            ctx.SetOutput(1, DataType.Int64, result);
        }
    }

    /// <summary>GlobalAveragePool / GlobalMaxPool / GlobalLpPool: Y [N, C, 1, ..., 1].</summary>
    public static void InferGlobal(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        if (x is not null && x.Rank < 2)
        {
            throw ctx.Error($"input X must have rank >= 2 ([N, C, ...]), got shape {x}");
        }

        ctx.SetOutput(0, ctx.InputElementType(0), x is null ? null : new Shape(x.Select((d, i) => i < 2 ? d : Dim.Known(1))));
    }

    /// <summary>MaxUnpool: output_shape input when constant, else (in - 1) * stride + kernel - padBegin - padEnd.</summary>
    public static void InferMaxUnpool(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var x = ctx.InputShape(0);
        if (ctx.HasInput(2))
        {
            var constant = ctx.ConstantInput(2);
            var s = ctx.InputShape(2);
            ctx.SetOutput(0, type, constant is not null ? Shape.FromKnown(constant.ToInt64Array())
                : s is { Rank: 1 } && s[0].Value is long r ? ShapeRules.UnknownDims((int)r)
                : null);
            return;
        }

        if (x is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        if (x.Rank < 3)
        {
            throw ctx.Error($"input X must have rank >= 3 ([N, C, D1, ...]), got shape {x}");
        }

        int spatial = x.Rank - 2;
        var geometry = ConvGeometry.Parse(ctx.Node);
        if (geometry.Validate(spatial, kernelRequired: true) is { } error)
        {
            throw ctx.Error(error);
        }

        var dims = new Dim[x.Rank];
        dims[0] = x[0];
        dims[1] = x[1];
        for (int i = 0; i < spatial; i++)
        {
            dims[i + 2] = x[i + 2].Value is long input
                ? ((input - 1) * geometry.Stride(i)) + geometry.KernelShape![i] - geometry.PadBegin(i) - geometry.PadEnd(i, spatial)
                : Dim.Unknown;
        }

        ctx.SetOutput(0, type, new Shape(dims));
    }
}
