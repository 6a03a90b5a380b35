using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterLoss(KernelRegistry r)
    {
        r.Add("NegativeLogLikelihoodLoss", c => new Kernels.Loss.NegativeLogLikelihoodLoss(c));
        r.Add("SoftmaxCrossEntropyLoss", c => new Kernels.Loss.SoftmaxCrossEntropyLoss(c));
    }
}
