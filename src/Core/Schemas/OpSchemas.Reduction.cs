namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterReduction(Registrar add)
    {
    }
}
