using System.Numerics.Tensors;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>GlobalMaxPool: Y[n, c, 1, ...] = max of X[n, c, ...] (https://onnx.ai/onnx/operators/onnx__GlobalMaxPool.html).</summary>
internal sealed class GlobalMaxPool : IKernel
{
    public void Compute(KernelContext context) =>
        GlobalPool.Run(context, static x => TensorPrimitives.Max(x), static x => TensorPrimitives.Max(x));
}
