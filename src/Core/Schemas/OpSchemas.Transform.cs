namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterTransform(Registrar add)
    {
        add("Identity", ShapeRules.SameAsInput0);
    }
}
