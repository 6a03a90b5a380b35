namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterControlFlow(Registrar add)
    {
        add("If", IfSchema.Infer);
        add("Loop", LoopSchema.Infer);
        add("Scan", ScanSchema.Infer);
    }
}
