using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterMisc(KernelRegistry r)
    {
        r.Add("NonMaxSuppression", c => new Kernels.Misc.NonMaxSuppression(c));
        r.Add("Det", _ => new Kernels.Misc.Det());
        r.Add("StringNormalizer", c => new Kernels.Misc.StringNormalizer(c));
        r.Add("TfIdfVectorizer", c => new Kernels.Misc.TfIdfVectorizer(c));
    }
}
