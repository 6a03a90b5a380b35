using System.Numerics.Tensors;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>GlobalAveragePool: Y[n, c, 1, ...] = mean of X[n, c, ...] (https://onnx.ai/onnx/operators/onnx__GlobalAveragePool.html).</summary>
internal sealed class GlobalAveragePool : IKernel
{
    public void Compute(KernelContext context) =>
        GlobalPool.Run(context, static x => TensorPrimitives.Sum(x) / x.Length, static x => TensorPrimitives.Sum(x) / x.Length);
}
