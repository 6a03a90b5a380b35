namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterImage(Registrar add)
    {
    }
}
