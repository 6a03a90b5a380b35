using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterImage(KernelRegistry r)
    {
        r.Add("Resize", c => new Kernels.Image.Resize(c));
        r.Add("Upsample", c => new Kernels.Image.Upsample(c));
        r.Add("GridSample", c => new Kernels.Image.GridSample(c), since: 16);
        r.Add("RoiAlign", c => new Kernels.Image.RoiAlign(c), since: 10);
        r.Add("MaxRoiPool", c => new Kernels.Image.MaxRoiPool(c));
    }
}
