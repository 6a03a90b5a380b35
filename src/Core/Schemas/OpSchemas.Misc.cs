namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterMisc(Registrar add)
    {
        add("NonMaxSuppression", MiscSchemas.InferNonMaxSuppression);
        add("Det", MiscSchemas.InferDet);
        add("StringNormalizer", MiscSchemas.InferStringNormalizer);
        add("TfIdfVectorizer", MiscSchemas.InferTfIdfVectorizer);
    }
}
