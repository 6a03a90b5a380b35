namespace OpenAutoGlm.Core;

/// <summary>Range: 1-D output of max(ceil((limit - start) / delta), 0) elements, element type of the inputs.</summary>
public static class RangeSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ShapeRules.FirstKnownElementType(ctx);
        for (int i = 0; i < 3; i++)
        {
            if (ctx.InputShape(i) is { } s && s.ElementCount is long n && n != 1)
            {
                throw ctx.Error($"input {i} must be a scalar, got shape {s}");
            }
        }

        Dim length = Dim.Unknown;
        if (ctx.ConstantInput(0) is { } start && ctx.ConstantInput(1) is { } limit && ctx.ConstantInput(2) is { } delta)
        {
            length = Count(start.ToDoubleArray()[0], limit.ToDoubleArray()[0], delta.ToDoubleArray()[0], msg => ctx.Error(msg));
        }

        ctx.SetOutput(0, type, new Shape(length));
    }

    /// <summary>Element count of a range; <paramref name="error"/> builds the exception for a zero delta.</summary>
    public static long Count(double start, double limit, double delta, Func<string, Exception> error)
    {
        if (delta == 0)
        {
            throw error("delta must not be zero");
        }

        double n = Math.Ceiling((limit - start) / delta);
        if (double.IsNaN(n))
        {
            throw error($"range({start}, {limit}, {delta}) has no defined length");
        }

        // Anything past Array.MaxLength is refused by the caller; clamping keeps the conversion from overflowing.
        return n <= 0 ? 0 : n >= long.MaxValue ? long.MaxValue : (long)n;
    }
}
