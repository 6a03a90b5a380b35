using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterTransform(KernelRegistry r)
    {
        r.Add("Identity", _ => new Kernels.Transform.Identity());
    }
}
