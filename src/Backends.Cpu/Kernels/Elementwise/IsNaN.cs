using System.Numerics;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>IsNaN: y = (x is NaN) -> bool (https://onnx.ai/onnx/operators/onnx__IsNaN.html).</summary>
internal sealed class IsNaN : IKernel
{
    public void Compute(KernelContext context) => FloatPredicate.Compute(context, default(Op));

    internal readonly struct Op : IFloatPredicate
    {
        public bool Invoke<T>(T x)
            where T : IFloatingPointIeee754<T> => T.IsNaN(x);
    }
}
