namespace OpenAutoGlm.Core;

/// <summary>Shape inference for MatMul (numpy matmul: 1-D operands promoted then squeezed, batch dims broadcast) and Gemm.</summary>
public static class MatMulSchema
{
    public static void InferMatMul(ShapeInferenceContext ctx)
    {
        var type = ShapeRules.FirstKnownElementType(ctx);
        var a = ctx.InputShape(0);
        var b = ctx.InputShape(1);
        if (a is null || b is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        ctx.SetOutput(0, type, MatMulShape(a, b, ctx));
    }

    /// <summary>The numpy matmul result shape of <paramref name="a"/> x <paramref name="b"/>.</summary>
    public static Shape MatMulShape(Shape a, Shape b, ShapeInferenceContext ctx)
    {
        if (a.Rank == 0 || b.Rank == 0)
        {
            throw ctx.Error($"MatMul operands must have rank >= 1, got {a} and {b}");
        }

        var a2 = a.Rank == 1 ? new Shape(Dim.Known(1), a[0]) : a;
        var b2 = b.Rank == 1 ? new Shape(b[0], Dim.Known(1)) : b;
        Dim k1 = a2[a2.Rank - 1];
        Dim k2 = b2[b2.Rank - 2];
        if (k1.Value is long ka && k2.Value is long kb && ka != kb)
        {
            throw ctx.Error($"inner dimensions do not match: A {a} has K={ka}, B {b} has K={kb}");
        }

        var batch = ShapeRules.Broadcast(new Shape(a2.Take(a2.Rank - 2)), new Shape(b2.Take(b2.Rank - 2)), ctx);
        var dims = new List<Dim>(batch);
        if (a.Rank != 1)
        {
            dims.Add(a2[a2.Rank - 2]);
        }

        if (b.Rank != 1)
        {
            dims.Add(b2[b2.Rank - 1]);
        }

        return new Shape(dims);
    }

    /// <summary>Gemm: Y [M, N] from A [M, K] (or [K, M] with transA) and B [K, N] (or [N, K] with transB).</summary>
    public static void InferGemm(ShapeInferenceContext ctx)
    {
        var type = ShapeRules.FirstKnownElementType(ctx);
        var a = ctx.InputShape(0);
        var b = ctx.InputShape(1);
        bool transA = ctx.Attributes.GetInt("transA", 0) != 0;
        bool transB = ctx.Attributes.GetInt("transB", 0) != 0;
        if (a is not null && a.Rank != 2)
        {
            throw ctx.Error($"A must be 2-D, got shape {a}");
        }

        if (b is not null && b.Rank != 2)
        {
            throw ctx.Error($"B must be 2-D, got shape {b}");
        }

        Dim m = a is null ? Dim.Unknown : a[transA ? 1 : 0];
        Dim n = b is null ? Dim.Unknown : b[transB ? 0 : 1];
        if (a is not null && b is not null && a[transA ? 0 : 1].Value is long ka && b[transB ? 1 : 0].Value is long kb && ka != kb)
        {
            throw ctx.Error($"inner dimensions do not match: A {a}{(transA ? " (transposed)" : string.Empty)} has K={ka}, B {b}{(transB ? " (transposed)" : string.Empty)} has K={kb}");
        }

        ctx.SetOutput(0, type, new Shape(m, n));
    }
}
