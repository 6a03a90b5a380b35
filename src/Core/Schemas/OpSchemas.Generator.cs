namespace OpenAutoGlm.Core;

public static partial class OpSchemas
{
    private static void RegisterGenerator(Registrar add)
    {
        add("Constant", ConstantSchema.Infer);
        add("ConstantOfShape", ConstantOfShapeSchema.Infer);
        add("Range", RangeSchema.Infer);
        add("EyeLike", EyeLikeSchema.Infer);
        add("RandomUniform", RandomSchema.InferFromShapeAttribute);
        add("RandomNormal", RandomSchema.InferFromShapeAttribute);
        add("RandomUniformLike", RandomSchema.InferLikeInput);
        add("RandomNormalLike", RandomSchema.InferLikeInput);
        add("Bernoulli", RandomSchema.InferLikeInput);
        add("Multinomial", RandomSchema.InferMultinomial);
    }
}
