namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterLoss(Registrar add)
    {
        add("NegativeLogLikelihoodLoss", LossSchemas.Infer);
        add("SoftmaxCrossEntropyLoss", LossSchemas.Infer);
    }
}
