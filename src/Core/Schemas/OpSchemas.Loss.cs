namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterLoss(Registrar add)
    {
    }
}
