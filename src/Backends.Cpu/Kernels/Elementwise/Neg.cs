using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Neg: y = -x (https://onnx.ai/onnx/operators/onnx__Neg.html).</summary>
internal sealed class Neg : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeNumeric(context, default(Op));

    internal readonly struct Op : INumericUnaryFunction
    {
        public float Invoke(float x) => -x;

        public T Invoke<T>(T x)
            where T : INumber<T> => -x;

        public Vector256<float> Invoke(Vector256<float> x) => -x;

        public Vector128<float> Invoke(Vector128<float> x) => -x;
    }
}
