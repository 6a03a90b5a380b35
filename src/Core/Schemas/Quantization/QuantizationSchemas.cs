namespace OpenAutoGlm.Core;

/// <summary>Shape inference of the quantization ops.</summary>
public static class QuantizationSchemas
{
    /// <summary>QuantizeLinear: shape of x, element type of y_zero_point (uint8 when omitted).</summary>
    public static void InferQuantize(ShapeInferenceContext ctx)
    {
        var type = ctx.HasInput(2) ? ctx.InputElementType(2) : DataType.UInt8;
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
        ctx.SetOutput(0, DataType.Int32, ConvGeometry.InferShape(ctx, 0, 1));

    /// <summary>QLinearConv: element type of y_zero_point, convolution shape of x and w.</summary>
    public static void InferQLinearConv(ShapeInferenceContext ctx) =>
        ctx.SetOutput(0, ctx.InputElementType(7), ConvGeometry.InferShape(ctx, 0, 3));

    /// <summary>numpy.matmul output shape: 1-D operands are promoted and the promoted axis removed; batch dims broadcast.</summary>
    public static Shape? MatMulShape(ShapeInferenceContext ctx, int aInput, int bInput)
    {
        var a = ctx.InputShape(aInput);
        var b = ctx.InputShape(bInput);
        if (a is null || b is null)
        {
            return null;
        }

        if (a.Rank == 0 || b.Rank == 0)
        {
            throw ctx.Error($"matmul operands must have rank >= 1, got shapes {a} and {b}");
        }

        var aDims = a.Rank == 1 ? new Shape(1, a[0]) : a;
        var bDims = b.Rank == 1 ? new Shape(b[0], 1) : b;
        Dim k1 = aDims[aDims.Rank - 1];
        Dim k2 = bDims[bDims.Rank - 2];
        if (k1.IsKnown && k2.IsKnown && k1.Value != k2.Value)
        {
            throw ctx.Error($"inner dimensions differ: {a} x {b}");
        }

        var batch = ShapeRules.Broadcast(new Shape(aDims.Take(aDims.Rank - 2)), new Shape(bDims.Take(bDims.Rank - 2)), ctx);
        var dims = batch.ToList();
        if (a.Rank > 1)
        {
            dims.Add(aDims[aDims.Rank - 2]);
        }

        if (b.Rank > 1)
        {
            dims.Add(bDims[bDims.Rank - 1]);
        }

        return new Shape(dims);
    }
}
