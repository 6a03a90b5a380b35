namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterQuantization(Registrar add)
    {
    }
}
