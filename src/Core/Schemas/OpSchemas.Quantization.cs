namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterQuantization(Registrar add)
    {
        add("QuantizeLinear", QuantizationSchemas.InferQuantize);
        add("DequantizeLinear", QuantizationSchemas.InferDequantize);
        add("DynamicQuantizeLinear", QuantizationSchemas.InferDynamicQuantize);
        add("MatMulInteger", QuantizationSchemas.InferMatMulInteger);
        add("QLinearMatMul", QuantizationSchemas.InferQLinearMatMul);
        add("ConvInteger", QuantizationSchemas.InferConvInteger);
        add("QLinearConv", QuantizationSchemas.InferQLinearConv);
    }
}
