namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterMisc(Registrar add)
    {
        add("NonMaxSuppression", MiscSchemas.InferNonMaxSuppression);
        add("Det", MiscSchemas.InferDet);
        add("StringNormalizer", MiscSchemas.InferStringNormalizer);
        add("TfIdfVectorizer", MiscSchemas.InferTfIdfVectorizer);
        add("NegativeLogLikelihoodLoss", LossSchemas.Infer);
        add("SoftmaxCrossEntropyLoss", LossSchemas.Infer);
        add("Resize", ResizeSchema.InferResize);
        add("Upsample", ResizeSchema.InferUpsample);
    }
}
