namespace OpenAutoGlm.Core;

/// <summary>Shape inference for the fused ops of the ai.autoglm domain that need more than a shared rule.</summary>
public static class AutoGlmSchemas
{
    /// <summary>SkipLayerNormalization: output 0 (normalized) and output 1 (input + skip + bias) have the broadcast shape of input and skip.</summary>
    public static void InferSkipLayerNormalization(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        var skip = ctx.InputShape(1);
        var shape = x is null || skip is null ? null : ShapeRules.Broadcast(x, skip, ctx);
        for (int i = 0; i < ctx.OutputCount; i++)
        {
            ctx.SetOutput(i, ctx.InputElementType(0), shape);
        }
    }

    /// <summary>
    /// Attention: Q/K/V are all [B, S, H*D] (rank 3, H = num_heads) or all [B, H, S, D] (rank 4). Y has Q's layout with
    /// V's head size; present_key/present_value are [B, H, P + L, D] where P is past's length and L is K's length.
    /// </summary>
    public static void InferAttention(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var q = ctx.InputShape(0);
        var k = ctx.InputShape(1);
        var v = ctx.InputShape(2);
        long heads = ctx.Attributes.GetInt("num_heads", 0);
        if (q is null || k is null || v is null)
        {
            for (int i = 0; i < ctx.OutputCount; i++)
            {
                ctx.SetOutput(i, type, null);
            }

            return;
        }

        if (q.Rank is not (3 or 4) || k.Rank != q.Rank || v.Rank != q.Rank)
        {
            throw ctx.Error($"Q, K and V must all be rank 3 ([B, S, H*D]) or all rank 4 ([B, H, S, D]), got {q}, {k} and {v}");
        }

        bool packed = q.Rank == 3;
        if (packed && heads <= 0)
        {
            throw ctx.Error($"num_heads must be positive for rank-3 Q/K/V, got {heads}");
        }

        if (packed && q[2].Value is long hd && hd % heads != 0)
        {
            throw ctx.Error($"Q's hidden size {hd} is not a multiple of num_heads {heads}");
        }

        ctx.SetOutput(0, type, packed ? new Shape(q[0], q[1], v[2]) : new Shape(q[0], q[1], q[2], v[3]));
        Dim h = packed ? heads : k[1];
        Dim kLen = packed ? k[1] : k[2];
        Dim dk = packed ? Div(k[2], heads) : k[3];
        Dim dv = packed ? Div(v[2], heads) : v[3];
        var past = ctx.InputShape(4);
        Dim total = past is null ? (ctx.HasInput(4) ? Dim.Unknown : kLen)
            : past[2].Value is long p && kLen.Value is long l ? Dim.Known(p + l) : Dim.Unknown;
        ctx.SetOutput(1, type, new Shape(q[0], h, total, dk));
        ctx.SetOutput(2, type, new Shape(q[0], h, total, dv));
    }

    private static Dim Div(Dim d, long by) => d.Value is long v ? Dim.Known(v / by) : Dim.Unknown;
}
