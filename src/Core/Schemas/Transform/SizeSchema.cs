namespace OpenAutoGlm.Core;

/// <summary>Size: the element count as an int64 scalar, a constant when the input shape is fully known.</summary>
public static class SizeSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        if (ctx.InputShape(0)?.ElementCount is long n)
        {
            ctx.SetOutputConstant(0, Tensor.Scalar(n));
        }
        else
        {
            ctx.SetOutput(0, DataType.Int64, Shape.Scalar);
        }
    }
}
