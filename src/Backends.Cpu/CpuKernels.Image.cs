using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterImage(KernelRegistry r)
    {
        r.Add("Resize", c => new Kernels.Image.Resize(c));
        r.Add("Upsample", c => new Kernels.Image.Upsample(c));
    }
}
