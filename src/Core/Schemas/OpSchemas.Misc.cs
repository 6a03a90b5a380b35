namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterMisc(Registrar add)
    {
        add("NonMaxSuppression", MiscSchemas.InferNonMaxSuppression);
        add("Det", MiscSchemas.InferDet);
        add("StringNormalizer", MiscSchemas.InferStringNormalizer);
        add("TfIdfVectorizer", MiscSchemas.InferTfIdfVectorizer);
        add("Adagrad", OptimizerSchemas.InferAdagrad, "ai.onnx.preview.training");
        add("Momentum", OptimizerSchemas.InferMomentum, "ai.onnx.preview.training");
        add("Adam", OptimizerSchemas.InferAdam, "ai.onnx.preview.training");
    }
}
