namespace OpenAutoGlm.Core;

/// <summary>Shape inference for Conv and ConvTranspose: X [N, C, D1..Dn], W [M, C/group, k1..kn] (ConvTranspose: [C, M/group, k..]).</summary>
public static class ConvSchema
{
    public static void InferConv(ShapeInferenceContext ctx) => Infer(ctx, transpose: false);

    public static void InferConvTranspose(ShapeInferenceContext ctx) => Infer(ctx, transpose: true);

    private static void Infer(ShapeInferenceContext ctx, bool transpose)
    {
        var type = ctx.InputElementType(0);
        var x = ctx.InputShape(0);
        var w = ctx.InputShape(1);
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
        if (w is not null && w.Rank != x.Rank)
        {
            throw ctx.Error($"weight W must have the rank of X ({x.Rank}), got shape {w}");
        }

        var geometry = ConvGeometry.Parse(ctx.Node);
        if (geometry.Validate(spatial, kernelRequired: false) is { } error)
        {
            throw ctx.Error(error);
        }

        long group = ctx.Attributes.GetInt("group", 1);
        if (group <= 0)
        {
            throw ctx.Error($"group must be positive, got {group}");
        }

        if (w is not null && x[1].Value is long c && w[transpose ? 0 : 1].Value is long wc)
        {
            long expected = transpose ? c : c / group;
            if (wc != expected || c % group != 0)
            {
                throw ctx.Error(transpose
                    ? $"weight W {w} must have X's channel count {c} as dimension 0"
                    : $"weight W {w} must have C/group = {c}/{group} input channels (dimension 1); X is {x}");
            }
        }

        var dims = new Dim[x.Rank];
        dims[0] = x[0];
        dims[1] = w is null ? Dim.Unknown
            : transpose ? (w[1].Value is long mg ? Dim.Known(mg * group) : Dim.Unknown)
            : w[0];
        for (int i = 0; i < spatial; i++)
        {
            long? kernel = geometry.KernelShape?[i] ?? w?[i + 2].Value;
            if (kernel is not long k || x[i + 2].Value is not long input)
            {
                dims[i + 2] = transpose && geometry.OutputShape is not null && kernel is long kk
                    ? geometry.Transpose(i, spatial, 1, kk).Output
                    : Dim.Unknown;
                continue;
            }

            long output = transpose ? geometry.Transpose(i, spatial, input, k).Output : geometry.Forward(i, spatial, input, k).Output;
            if (output < 0)
            {
                throw ctx.Error($"spatial dimension {i} of the output would be negative ({output}) for input {x}");
            }

            dims[i + 2] = output;
        }

        ctx.SetOutput(0, type, new Shape(dims));
    }
}
