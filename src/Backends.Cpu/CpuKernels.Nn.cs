using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterNn(KernelRegistry r)
    {
        r.Add("MatMul", _ => new Kernels.Nn.MatMul());
        r.Add("Gemm", c => new Kernels.Nn.Gemm(c));
        r.Add("Conv", c => new Kernels.Nn.Conv(c));
        r.Add("ConvTranspose", c => new Kernels.Nn.ConvTranspose(c));
    }
}
