namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterElementwise(Registrar add)
    {
        add("Add", ShapeRules.BroadcastInputs);
        add("Relu", ShapeRules.SameAsInput0);
    }
}
