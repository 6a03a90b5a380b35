using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterGenerator(KernelRegistry r)
    {
        r.Add("Constant", c => new Kernels.Generator.Constant(c));
        r.Add("ConstantOfShape", c => new Kernels.Generator.ConstantOfShape(c));
        r.Add("Range", _ => new Kernels.Generator.Range());
        r.Add("EyeLike", c => new Kernels.Generator.EyeLike(c));
        r.Add("RandomUniform", c => new Kernels.Generator.RandomUniform(c));
        r.Add("RandomNormal", c => new Kernels.Generator.RandomNormal(c));
        r.Add("RandomUniformLike", c => new Kernels.Generator.RandomUniformLike(c));
        r.Add("RandomNormalLike", c => new Kernels.Generator.RandomNormalLike(c));
        r.Add("Bernoulli", c => new Kernels.Generator.Bernoulli(c));
        r.Add("Multinomial", c => new Kernels.Generator.Multinomial(c));
    }
}
