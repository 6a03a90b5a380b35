namespace OpenAutoGlm.Core;

/// <summary>Shape inference of Optional, OptionalHasElement and OptionalGetElement.</summary>
public static class OptionalSchemas
{
    /// <summary>Optional: optional(type of the input), or optional(the <c>type</c> attribute) when the input is omitted.</summary>
    public static void InferOptional(ShapeInferenceContext ctx)
    {
        if (ctx.HasInput(0))
        {
            ctx.SetOutput(0, ctx.InputType(0) is { } t ? new OptionalTypeInfo(t) : null);
            return;
        }

        if (!ctx.Attributes.TryGet("type", out var attr) || attr.Value is not TypeInfo type)
        {
            throw ctx.Error("the 'type' attribute is required when the input is omitted");
        }

        ctx.SetOutput(0, new OptionalTypeInfo(type));
    }

    /// <summary>OptionalHasElement: a bool scalar.</summary>
    public static void InferHasElement(ShapeInferenceContext ctx) => ctx.SetOutput(0, DataType.Bool, Shape.Scalar);

    /// <summary>OptionalGetElement: the optional's element type (opset 18 also accepts a plain tensor or sequence).</summary>
    public static void InferGetElement(ShapeInferenceContext ctx) =>
        ctx.SetOutput(0, ctx.InputType(0) is OptionalTypeInfo o ? o.ElementType : ctx.InputType(0));
}
