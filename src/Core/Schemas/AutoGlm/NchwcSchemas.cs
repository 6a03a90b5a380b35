namespace OpenAutoGlm.Core;

/// <summary>
/// Shape inference for the ai.autoglm blocked-layout ops (docs/ops.md, "NCHWc"): a blocked tensor is
/// [N, ceil(C / 16), H, W, 16] for the logical [N, C, H, W].
/// </summary>
public static class NchwcSchemas
{
    /// <summary>Channels per block of the NCHWc layout.</summary>
    public const int Block = 16;

    /// <summary>ReorderInput: X [N, C, H, W] → [N, ceil(C / 16), H, W, 16].</summary>
    public static void InferReorderInput(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        if (x is not null && x.Rank != 4)
        {
            throw ctx.Error($"input X must be [N, C, H, W] (rank 4), got shape {x}");
        }

        ctx.SetOutput(0, ctx.InputElementType(0), x is null ? null : new Shape(x[0], Blocks(x[1]), x[2], x[3], Block));
    }

    /// <summary>ReorderOutput (attribute channels = C): X [N, ceil(C / 16), H, W, 16] → [N, C, H, W].</summary>
    public static void InferReorderOutput(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        long channels = ctx.Attributes.GetInt("channels", 0);
        if (channels <= 0)
        {
            throw ctx.Error($"attribute channels must be positive, got {channels}");
        }

        if (x is not null)
        {
            CheckBlocked(ctx, x, "X");
            if (x[1].Value is long cb && cb != (channels + Block - 1) / Block)
            {
                throw ctx.Error($"input X {x} has {cb} channel blocks, but channels = {channels} needs {(channels + Block - 1) / Block}");
            }
        }

        ctx.SetOutput(0, ctx.InputElementType(0), x is null ? null : new Shape(x[0], channels, x[2], x[3]));
    }

    /// <summary>
    /// NchwcConv: X blocked [N, ceil(C / 16), H, W, 16] (or NCHW [N, C, H, W] for a first layer), W [M, C / group, KH, KW]
    /// → Y [N, ceil(M / 16), OH, OW, 16] with Conv's output-size rules.
    /// </summary>
    public static void InferConv(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        var w = ctx.InputShape(1);
        var type = ctx.InputElementType(0);
        if (x is null || w is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        if (x.Rank == 5)
        {
            CheckBlocked(ctx, x, "X");
        }
        else if (x.Rank != 4)
        {
            throw ctx.Error($"input X must be blocked [N, C/16, H, W, 16] or [N, C, H, W], got shape {x}");
        }

        if (w.Rank != 4)
        {
            throw ctx.Error($"weight W must be [M, C/group, KH, KW], got shape {w}");
        }

        var spatial = Spatial(ctx, x, [w[2].Value, w[3].Value], kernelRequired: false);
        ctx.SetOutput(0, type, new Shape(x[0], Blocks(w[0]), spatial[0], spatial[1], Block));
    }

    /// <summary>
    /// NchwcExpandDepthwise: X blocked [N, ceil(C / 16), H, W, 16], W1 [E, C, 1, 1], W2 [E, 1, K, K] (input 3) →
    /// Y [N, ceil(E / 16), OH, OW, 16] with the depthwise's output-size rules.
    /// </summary>
    public static void InferExpandDepthwise(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        var w1 = ctx.InputShape(1);
        var w2 = ctx.InputShape(3);
        var type = ctx.InputElementType(0);
        if (x is null || w1 is null || w2 is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        CheckBlocked(ctx, x, "X");
        if (w1.Rank != 4 || w2.Rank != 4)
        {
            throw ctx.Error($"weights W1 [E, C, 1, 1] and W2 [E, 1, K, K] expected, got shapes {w1} and {w2}");
        }

        var spatial = Spatial(ctx, x, [w2[2].Value, w2[3].Value], kernelRequired: false);
        ctx.SetOutput(0, type, new Shape(x[0], Blocks(w1[0]), spatial[0], spatial[1], Block));
    }

    /// <summary>NchwcPool (attribute pool_type): windowed or global pooling of a blocked X, Y blocked.</summary>
    public static void InferPool(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        var type = ctx.InputElementType(0);
        string pool = ctx.Attributes.GetString("pool_type", string.Empty);
        if (pool is not ("MaxPool" or "AveragePool" or "GlobalAveragePool" or "GlobalMaxPool"))
        {
            throw ctx.Error($"pool_type must be MaxPool, AveragePool, GlobalAveragePool or GlobalMaxPool, got '{pool}'");
        }

        if (x is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        CheckBlocked(ctx, x, "X");
        if (pool.StartsWith("Global", StringComparison.Ordinal))
        {
            ctx.SetOutput(0, type, new Shape(x[0], x[1], 1, 1, Block));
            return;
        }

        var spatial = Spatial(ctx, x, [null, null], kernelRequired: true);
        ctx.SetOutput(0, type, new Shape(x[0], x[1], spatial[0], spatial[1], Block));
    }

    private static Dim Blocks(Dim channels) => channels.Value is long c ? Dim.Known((c + Block - 1) / Block) : Dim.Unknown;

    private static void CheckBlocked(ShapeInferenceContext ctx, Shape x, string name)
    {
        if (x.Rank != 5 || (x[4].Value is long b && b != Block))
        {
            throw ctx.Error($"input {name} must be blocked [N, C/16, H, W, 16], got shape {x}");
        }
    }

    private static Dim[] Spatial(ShapeInferenceContext ctx, Shape x, long?[] kernelFromWeights, bool kernelRequired)
    {
        var geometry = ConvGeometry.Parse(ctx.Node);
        if (geometry.Validate(2, kernelRequired) is { } error)
        {
            throw ctx.Error(error);
        }

        var dims = new Dim[2];
        for (int i = 0; i < 2; i++)
        {
            long? kernel = geometry.KernelShape?[i] ?? kernelFromWeights[i];
            if (kernel is not long k || x[i + 2].Value is not long input)
            {
                dims[i] = Dim.Unknown;
                continue;
            }

            long output = geometry.Forward(i, 2, input, k).Output;
            if (output <= 0)
            {
                throw ctx.Error($"the window does not fit input {x} (output dimension {i + 2} would be {output})");
            }

            dims[i] = output;
        }

        return dims;
    }
}
