using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterControlFlow(KernelRegistry r)
    {
        r.Add("If", c => new Kernels.ControlFlow.If(c));
        r.Add("Loop", c => new Kernels.ControlFlow.Loop(c));
        r.Add("Scan", c => new Kernels.ControlFlow.Scan(c));
    }
}
