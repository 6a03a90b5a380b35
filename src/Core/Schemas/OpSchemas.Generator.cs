namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterGenerator(Registrar add)
    {
    }
}
