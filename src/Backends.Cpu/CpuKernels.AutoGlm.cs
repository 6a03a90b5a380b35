using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    /// <summary>The fused ops of our own domain (opset 1), float32 only; docs/ops.md describes them.</summary>
    private static void RegisterAutoGlm(KernelRegistry r)
    {
        DataType[] f32 = [DataType.Float32];
        const string d = OpSchemas.AutoGlmDomain;
        r.Add("FusedConv", c => new Kernels.AutoGlm.FusedConv(c), types: f32, domain: d);
        r.Add("FusedGemm", c => new Kernels.AutoGlm.FusedGemm(c), types: f32, domain: d);
        r.Add("FusedMatMul", c => new Kernels.AutoGlm.FusedMatMul(c), types: f32, domain: d);
        r.Add("Gelu", c => new Kernels.AutoGlm.Gelu(c), types: f32, domain: d);
        r.Add("RmsNormalization", c => new Kernels.AutoGlm.RmsNormalization(c), types: f32, domain: d);
        r.Add("SkipLayerNormalization", c => new Kernels.AutoGlm.SkipLayerNormalization(c), types: f32, domain: d);
        r.Add("Attention", c => new Kernels.AutoGlm.Attention(c), types: f32, domain: d);
    }
}
