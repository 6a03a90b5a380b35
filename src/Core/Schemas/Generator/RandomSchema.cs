namespace OpenAutoGlm.Core;

/// <summary>Shape inference of the random generators (RandomUniform/Normal(-Like), Bernoulli, Multinomial).</summary>
public static class RandomSchema
{
    /// <summary>RandomUniform / RandomNormal: shape from the <c>shape</c> attribute, dtype attribute (float32 by default).</summary>
    public static void InferFromShapeAttribute(ShapeInferenceContext ctx)
    {
        long[] shape = ctx.Attributes.GetInts("shape") ?? throw ctx.Error("required attribute 'shape' is missing");
        if (shape.Any(d => d < 0))
        {
            throw ctx.Error($"attribute shape [{string.Join(",", shape)}] has a negative dimension");
        }

        ctx.SetOutput(0, RandomDataType(ctx, DataType.Float32), Shape.FromKnown(shape));
    }

    /// <summary>*Like generators and Bernoulli: shape of input 0, dtype attribute or input 0's type.</summary>
    public static void InferLikeInput(ShapeInferenceContext ctx) =>
        ctx.SetOutput(0, RandomDataType(ctx, ctx.InputElementType(0)), ctx.InputShape(0));

    /// <summary>Multinomial: [batch_size, sample_size] of int32 (default) or int64.</summary>
    public static void InferMultinomial(ShapeInferenceContext ctx)
    {
        var dtype = (DataType)ctx.Attributes.GetInt("dtype", (long)DataType.Int32);
        if (dtype is not (DataType.Int32 or DataType.Int64))
        {
            throw ctx.Error($"dtype must be int32 or int64, got {dtype.Name()}");
        }

        long samples = ctx.Attributes.GetInt("sample_size", 1);
        var input = ctx.InputShape(0);
        if (input is not null && input.Rank != 2)
        {
            throw ctx.Error($"input must be 2-D [batch_size, class_size], got shape {input}");
        }

        ctx.SetOutput(0, dtype, new Shape(input is null ? Dim.Unknown : input[0], samples));
    }

    private static DataType RandomDataType(ShapeInferenceContext ctx, DataType fallback) =>
        ctx.Attributes.Contains("dtype") ? (DataType)ctx.Attributes.GetInt("dtype") : fallback;
}
