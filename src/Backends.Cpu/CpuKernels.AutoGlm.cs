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
        r.Add("ReorderInput", _ => new Kernels.AutoGlm.ReorderInput(), types: f32, domain: d);
        r.Add("ReorderOutput", c => new Kernels.AutoGlm.ReorderOutput(c), types: f32, domain: d);
        r.Add(new KernelDefinition(d, "NchwcConv", 1, int.MaxValue, new HashSet<DataType>(f32), c => new Kernels.AutoGlm.NchwcConv(c))
        {
            // The optimizer converts to NCHWc only where this is claimed: the kernels are Vector512 code.
            Constraint = _ => Kernels.Nchwc.NchwcLayout.Enabled ? null : Kernels.Nchwc.NchwcLayout.DisabledReason,
        });
        r.Add("NchwcPool", c => new Kernels.AutoGlm.NchwcPool(c), types: f32, domain: d);
        r.Add(new KernelDefinition(d, "NchwcExpandDepthwise", 1, int.MaxValue, new HashSet<DataType>(f32), c => new Kernels.AutoGlm.NchwcExpandDepthwise(c))
        {
            Constraint = _ => Kernels.Nchwc.NchwcLayout.Enabled ? null : Kernels.Nchwc.NchwcLayout.DisabledReason,
        });
    }
}
