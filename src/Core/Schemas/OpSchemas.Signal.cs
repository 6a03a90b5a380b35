namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterSignal(Registrar add)
    {
    }
}
