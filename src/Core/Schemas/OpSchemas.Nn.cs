namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterNn(Registrar add)
    {
        add("MatMul", MatMulSchema.InferMatMul);
        add("Gemm", MatMulSchema.InferGemm);
        add("Conv", ConvSchema.InferConv);
        add("ConvTranspose", ConvSchema.InferConvTranspose);
        add("MaxPool", PoolSchema.InferWindowed);
        add("AveragePool", PoolSchema.InferWindowed);
        add("LpPool", PoolSchema.InferWindowed);
        add("GlobalAveragePool", PoolSchema.InferGlobal);
        add("GlobalMaxPool", PoolSchema.InferGlobal);
        add("GlobalLpPool", PoolSchema.InferGlobal);
        add("MaxUnpool", PoolSchema.InferMaxUnpool);
        add("BatchNormalization", NormalizationSchema.InferBatchNormalization);
        add("InstanceNormalization", ShapeRules.SameAsInput0);
        add("LayerNormalization", NormalizationSchema.InferLayerNormalization);
        add("LRN", ShapeRules.SameAsInput0);
        add("MeanVarianceNormalization", ShapeRules.SameAsInput0);
        add("Softmax", ShapeRules.SameAsInput0);
        add("LogSoftmax", ShapeRules.SameAsInput0);
        add("Hardmax", ShapeRules.SameAsInput0);
        add("Dropout", NormalizationSchema.InferDropout);
        add("Einsum", EinsumSchema.Infer);
    }
}
