using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterElementwise(KernelRegistry r)
    {
        r.Add("Add", _ => new Kernels.Elementwise.Add());
        r.Add("Relu", _ => new Kernels.Elementwise.Relu());
    }
}
