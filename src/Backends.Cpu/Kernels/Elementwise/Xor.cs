using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Xor: C = A xor B on bool tensors with multidirectional broadcasting (https://onnx.ai/onnx/operators/onnx__Xor.html).</summary>
internal sealed class Xor : IKernel
{
    public void Compute(KernelContext context) => Logical.Compute<Op>(context);

    internal readonly struct Op : Simd.IBinaryOperator<bool, bool>
    {
        public static bool Invoke(bool a, bool b) => a ^ b;
    }
}
