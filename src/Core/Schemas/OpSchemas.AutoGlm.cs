namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    /// <summary>Our own operator domain for fused ops (opset 1); documented in docs/ops.md.</summary>
    public const string AutoGlmDomain = "ai.autoglm";

    private static void RegisterAutoGlm(Registrar add)
    {
        add("FusedConv", ConvSchema.InferConv, AutoGlmDomain);
        add("FusedGemm", MatMulSchema.InferGemm, AutoGlmDomain);
        add("FusedMatMul", MatMulSchema.InferMatMul, AutoGlmDomain);
        add("Gelu", ShapeRules.SameAsInput0, AutoGlmDomain);
        add("RmsNormalization", ShapeRules.SameAsInput0, AutoGlmDomain);
        add("SkipLayerNormalization", AutoGlmSchemas.InferSkipLayerNormalization, AutoGlmDomain);
        add("Attention", AutoGlmSchemas.InferAttention, AutoGlmDomain);
        add("ReorderInput", NchwcSchemas.InferReorderInput, AutoGlmDomain);
        add("ReorderOutput", NchwcSchemas.InferReorderOutput, AutoGlmDomain);
        add("NchwcConv", NchwcSchemas.InferConv, AutoGlmDomain);
        add("NchwcExpandDepthwise", NchwcSchemas.InferExpandDepthwise, AutoGlmDomain);
        add("NchwcPool", NchwcSchemas.InferPool, AutoGlmDomain);
    }
}
