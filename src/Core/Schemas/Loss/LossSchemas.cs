namespace OpenAutoGlm.Core;

/// <summary>Shape inference of NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.</summary>
public static class LossSchemas
{
    /// <summary>
    /// Loss of input [N, C, d...] against target [N, d...]: [N, d...] with reduction 'none', a scalar otherwise;
    /// SoftmaxCrossEntropyLoss's optional output 1 (log_prob) has the input's shape.
    /// </summary>
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        string reduction = ctx.Attributes.GetString("reduction", "mean");
        if (reduction is not ("none" or "sum" or "mean"))
        {
            throw ctx.Error($"reduction must be none, sum or mean, got '{reduction}'");
        }

        var input = ctx.InputShape(0);
        if (input is not null && input.Rank < 2)
        {
            throw ctx.Error($"input must be [N, C, d1, ...], got shape {input}");
        }

        Shape? loss = reduction != "none" ? Shape.Scalar
            : ctx.InputShape(1) ?? (input is null ? null : new Shape(input.Where((_, i) => i != 1)));
        ctx.SetOutput(0, type, loss);
        if (ctx.OutputCount > 1)
        {
            ctx.SetOutput(1, type, input);
        }
    }
}
