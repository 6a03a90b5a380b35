using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterQuantization(KernelRegistry r)
    {
        r.Add("QuantizeLinear", c => new Kernels.Quantization.QuantizeLinear(c));
        r.Add("DequantizeLinear", c => new Kernels.Quantization.DequantizeLinear(c));
        r.Add("DynamicQuantizeLinear", _ => new Kernels.Quantization.DynamicQuantizeLinear());
        r.Add("MatMulInteger", _ => new Kernels.Quantization.MatMulInteger());
        r.Add("QLinearMatMul", _ => new Kernels.Quantization.QLinearMatMul());
        r.Add("ConvInteger", c => new Kernels.Quantization.ConvInteger(c));
        r.Add("QLinearConv", c => new Kernels.Quantization.QLinearConv(c));
    }
}
