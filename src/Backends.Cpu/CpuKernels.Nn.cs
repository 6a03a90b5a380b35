using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu;

internal static partial class CpuKernels
{
    private static void RegisterNn(KernelRegistry r)
    {
        r.Add("MatMul", c => new Kernels.Nn.MatMul(c));
        r.Add("Gemm", c => new Kernels.Nn.Gemm(c));
        r.Add("Conv", c => new Kernels.Nn.Conv(c));
        r.Add("ConvTranspose", c => new Kernels.Nn.ConvTranspose(c));
        r.Add("MaxPool", c => new Kernels.Nn.MaxPool(c));
        r.Add("AveragePool", c => new Kernels.Nn.AveragePool(c));
        r.Add("LpPool", c => new Kernels.Nn.LpPool(c));
        r.Add("GlobalAveragePool", _ => new Kernels.Nn.GlobalAveragePool());
        r.Add("GlobalMaxPool", _ => new Kernels.Nn.GlobalMaxPool());
        r.Add("GlobalLpPool", c => new Kernels.Nn.GlobalLpPool(c));
        r.Add("MaxUnpool", c => new Kernels.Nn.MaxUnpool(c));
        r.Add("BatchNormalization", c => new Kernels.Nn.BatchNormalization(c));
        r.Add("InstanceNormalization", c => new Kernels.Nn.InstanceNormalization(c));
        r.Add("LayerNormalization", c => new Kernels.Nn.LayerNormalization(c));
        r.Add("LRN", c => new Kernels.Nn.LRN(c));
        r.Add("MeanVarianceNormalization", c => new Kernels.Nn.MeanVarianceNormalization(c));
        r.Add("Softmax", c => new Kernels.Nn.Softmax(c));
        r.Add("LogSoftmax", c => new Kernels.Nn.LogSoftmax(c));
        r.Add("Hardmax", c => new Kernels.Nn.Hardmax(c));
        r.Add("Dropout", c => new Kernels.Nn.Dropout(c));
        r.Add("Einsum", c => new Kernels.Nn.Einsum(c), since: 12);
    }
}
