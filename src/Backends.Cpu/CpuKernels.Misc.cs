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
        r.Add("Adagrad", c => new Kernels.Misc.Adagrad(c), domain: "ai.onnx.preview.training");
        r.Add("Momentum", c => new Kernels.Misc.Momentum(c), domain: "ai.onnx.preview.training");
        r.Add("Adam", c => new Kernels.Misc.Adam(c), domain: "ai.onnx.preview.training");
    }
}
