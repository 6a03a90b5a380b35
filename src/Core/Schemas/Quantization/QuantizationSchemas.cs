namespace OpenAutoGlm.Core;

/// <summary>Shape inference of the quantization ops.</summary>
public static class QuantizationSchemas
{
    /// <summary>QuantizeLinear: shape of x, element type of y_zero_point (else the output_dtype attribute, else uint8).</summary>
    public static void InferQuantize(ShapeInferenceContext ctx)
    {
        var outputType = (DataType)ctx.Attributes.GetInt("output_dtype", 0);
        var type = ctx.HasInput(2) ? ctx.InputElementType(2) : outputType != DataType.Undefined ? outputType : DataType.UInt8;
        ctx.SetOutput(0, type, ctx.InputShape(0));
    }

    /// <summary>DequantizeLinear: shape of x, float32 (or the scale's float type).</summary>
    public static void InferDequantize(ShapeInferenceContext ctx)
    {
        var scale = ctx.InputElementType(1);
        ctx.SetOutput(0, scale is DataType.Float16 or DataType.BFloat16 ? scale : DataType.Float32, ctx.InputShape(0));
    }

    /// <summary>DynamicQuantizeLinear: y uint8 shaped like x, scalar float32 scale, scalar uint8 zero point.</summary>
    public static void InferDynamicQuantize(ShapeInferenceContext ctx)
    {
        ctx.SetOutput(0, DataType.UInt8, ctx.InputShape(0));
        ctx.SetOutput(1, DataType.Float32, Shape.Scalar);
        ctx.SetOutput(2, DataType.UInt8, Shape.Scalar);
    }

    /// <summary>MatMulInteger: int32 with numpy matmul shape.</summary>
    public static void InferMatMulInteger(ShapeInferenceContext ctx) =>
        ctx.SetOutput(0, DataType.Int32, MatMulShape(ctx, 0, 1));

    /// <summary>QLinearMatMul: element type of y_zero_point, numpy matmul shape of a and b.</summary>
    public static void InferQLinearMatMul(ShapeInferenceContext ctx) =>
        ctx.SetOutput(0, ctx.InputElementType(7), MatMulShape(ctx, 0, 3));

    /// <summary>ConvInteger: int32 convolution shape.</summary>
    public static void InferConvInteger(ShapeInferenceContext ctx) =>
        ctx.SetOutput(0, DataType.Int32, ConvShape(ctx, 0, 1));

    /// <summary>QLinearConv: element type of y_zero_point, convolution shape of x and w.</summary>
    public static void InferQLinearConv(ShapeInferenceContext ctx) =>
        ctx.SetOutput(0, ctx.InputElementType(7), ConvShape(ctx, 0, 3));

    /// <summary>numpy matmul output shape of two inputs (null when either rank is unknown).</summary>
    public static Shape? MatMulShape(ShapeInferenceContext ctx, int aInput, int bInput) =>
        ctx.InputShape(aInput) is { } a && ctx.InputShape(bInput) is { } b ? MatMulSchema.MatMulShape(a, b, ctx) : null;

    /// <summary>Convolution output shape [N, M, out...] for x [N, C, in...] and w [M, C/group, k...] at the given inputs.</summary>
    public static Shape? ConvShape(ShapeInferenceContext ctx, int xInput, int wInput)
    {
        var x = ctx.InputShape(xInput);
        var w = ctx.InputShape(wInput);
        if (x is null)
        {
            return null;
        }

        if (x.Rank < 3 || (w is not null && w.Rank != x.Rank))
        {
            throw ctx.Error($"x must be [N, C, spatial...] and w [M, C/group, kernel...] of the same rank, got {x} and {w?.ToString() ?? "?"}");
        }

        int spatial = x.Rank - 2;
        var geometry = ConvGeometry.Parse(ctx.Node);
        if (geometry.Validate(spatial, kernelRequired: false) is { } error)
        {
            throw ctx.Error(error);
        }

        var dims = new Dim[x.Rank];
        dims[0] = x[0];
        dims[1] = w?[0] ?? Dim.Unknown;
        for (int i = 0; i < spatial; i++)
        {
            long? kernel = geometry.KernelShape?[i] ?? w?[i + 2].Value;
            dims[i + 2] = kernel is long k && x[i + 2].Value is long input ? geometry.Forward(i, spatial, input, k).Output : Dim.Unknown;
        }

        return new Shape(dims);
    }
}
