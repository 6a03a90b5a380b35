using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Or: C = A or B on bool tensors with multidirectional broadcasting (https://onnx.ai/onnx/operators/onnx__Or.html).</summary>
internal sealed class Or : IKernel
{
    public void Compute(KernelContext context) => Logical.Compute<Op>(context);

    internal readonly struct Op : Simd.IBinaryOperator<bool, bool>
    {
        public static bool Invoke(bool a, bool b) => a || b;
    }
}
