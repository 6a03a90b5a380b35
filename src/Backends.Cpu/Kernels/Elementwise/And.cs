using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>And: C = A and B on bool tensors with multidirectional broadcasting (https://onnx.ai/onnx/operators/onnx__And.html).</summary>
internal sealed class And : IKernel
{
    public void Compute(KernelContext context) => Logical.Compute<Op>(context);

    internal readonly struct Op : Simd.IBinaryOperator<bool, bool>
    {
        public static bool Invoke(bool a, bool b) => a && b;
    }
}
