using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterReduction(KernelRegistry r)
    {
        r.Add("ReduceSum", c => new Kernels.Reduction.ReduceSum(c));
        r.Add("ReduceMean", c => new Kernels.Reduction.ReduceMean(c));
        r.Add("ReduceMax", c => new Kernels.Reduction.ReduceMax(c));
        r.Add("ReduceMin", c => new Kernels.Reduction.ReduceMin(c));
        r.Add("ReduceProd", c => new Kernels.Reduction.ReduceProd(c));
        r.Add("ReduceL1", c => new Kernels.Reduction.ReduceL1(c));
        r.Add("ReduceL2", c => new Kernels.Reduction.ReduceL2(c));
        r.Add("ReduceLogSum", c => new Kernels.Reduction.ReduceLogSum(c));
        r.Add("ReduceLogSumExp", c => new Kernels.Reduction.ReduceLogSumExp(c));
        r.Add("ReduceSumSquare", c => new Kernels.Reduction.ReduceSumSquare(c));
        r.Add("ArgMax", c => new Kernels.Reduction.ArgMax(c));
        r.Add("ArgMin", c => new Kernels.Reduction.ArgMin(c));
    }
}
