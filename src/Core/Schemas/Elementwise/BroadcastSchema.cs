namespace OpenAutoGlm.Core;

/// <summary>
/// Shape inference for broadcasting elementwise ops. From opset 7 on: numpy multidirectional broadcasting.
/// Before opset 7, Add/Sub/Mul/Div/Pow/And/Or/Xor/Equal/Less/Greater carried <c>broadcast</c> and
/// <c>axis</c> attributes: without broadcast=1 the shapes must be equal; with it B is aligned to A's dims
/// starting at <c>axis</c> (default: trailing dims) and the output has A's shape.
/// </summary>
public static class BroadcastSchema
{
    private static readonly HashSet<string> s_legacyOps = ["Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Less", "Greater"];

    /// <summary>All inputs of one dtype; output has that dtype (Add, Sub, Sum, Max, ...).</summary>
    public static void SameType(ShapeInferenceContext ctx) => ctx.SetOutput(0, CommonType(ctx), OutputShape(ctx));

    /// <summary>Inputs of one dtype; bool output (comparisons, logical ops).</summary>
    public static void ToBool(ShapeInferenceContext ctx)
    {
        CommonType(ctx);
        ctx.SetOutput(0, DataType.Bool, OutputShape(ctx));
    }

    /// <summary>Output has input 0's dtype whatever input 1's is (Pow from opset 12).</summary>
    public static void FirstInputType(ShapeInferenceContext ctx) => ctx.SetOutput(0, ctx.InputElementType(0), OutputShape(ctx));

    /// <summary>Whether <paramref name="node"/> uses the pre-opset-7 broadcast/axis attributes.</summary>
    public static bool UsesLegacyBroadcast(Node node, long opset) =>
        opset < 7 && node.Domain.Length == 0 && s_legacyOps.Contains(node.OpType);

    /// <summary>
    /// B's dims aligned to A's rank under the legacy rules (1s outside the aligned block), so numpy broadcasting
    /// of A with the result gives the legacy output. Throws <see cref="ShapeInferenceException"/> naming both shapes.
    /// </summary>
    public static int[] AlignLegacy(AttributeCollection attributes, long opset, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (attributes.GetInt("broadcast", 0) == 0)
        {
            if (!a.SequenceEqual(b))
            {
                throw new ShapeInferenceException($"shapes {Shape.Format(a)} and {Shape.Format(b)} differ and broadcast=0 (opset {opset} broadcasts only with broadcast=1)");
            }

            return b.ToArray();
        }

        int rank = a.Length;
        long axis = attributes.GetInt("axis", rank - b.Length);
        long start = axis < 0 ? axis + rank : axis;
        if (start < 0 || start + b.Length > rank)
        {
            throw new ShapeInferenceException($"legacy broadcast of B {Shape.Format(b)} at axis {axis} does not fit A {Shape.Format(a)}");
        }

        var aligned = new int[rank];
        Array.Fill(aligned, 1);
        for (int i = 0; i < b.Length; i++)
        {
            int da = a[(int)start + i];
            if (b[i] != 1 && b[i] != da)
            {
                throw new ShapeInferenceException($"legacy broadcast of B {Shape.Format(b)} at axis {axis}: B dimension {i} is {b[i]} but A {Shape.Format(a)} has {da}");
            }

            aligned[(int)start + i] = b[i];
        }

        return aligned;
    }

    private static Shape? OutputShape(ShapeInferenceContext ctx)
    {
        if (!UsesLegacyBroadcast(ctx.Node, ctx.Opset))
        {
            return ShapeRules.BroadcastAll(ctx);
        }

        var a = ctx.InputShape(0);
        var b = ctx.InputShape(1);
        if (a is { IsFullyKnown: true } && b is { IsFullyKnown: true })
        {
            try
            {
                AlignLegacy(ctx.Attributes, ctx.Opset, a.ToIntArray(), b.ToIntArray());
            }
            catch (ShapeInferenceException ex)
            {
                throw ctx.Error(ex.Message);
            }
        }

        return a;
    }

    private static DataType CommonType(ShapeInferenceContext ctx)
    {
        var type = DataType.Undefined;
        for (int i = 0; i < ctx.InputCount; i++)
        {
            var t = ctx.InputElementType(i);
            if (t == DataType.Undefined)
            {
                continue;
            }

            if (type != DataType.Undefined && t != type)
            {
                throw ctx.Error($"inputs must have the same dtype, input {i} is {t.Name()} but an earlier input is {type.Name()}");
            }

            type = t;
        }

        return type;
    }
}
