namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterImage(Registrar add)
    {
        add("Resize", ResizeSchema.InferResize);
        add("Upsample", ResizeSchema.InferUpsample);
        add("GridSample", SamplingSchemas.InferGridSample);
        add("RoiAlign", SamplingSchemas.InferRoiAlign);
        add("MaxRoiPool", SamplingSchemas.InferMaxRoiPool);
    }
}
