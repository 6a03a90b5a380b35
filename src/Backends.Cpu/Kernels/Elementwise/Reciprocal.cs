using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Reciprocal: y = 1 / x (https://onnx.ai/onnx/operators/onnx__Reciprocal.html).</summary>
internal sealed class Reciprocal : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => 1 / x;

        public double Invoke(double x) => 1 / x;

        public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / x;

        public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / x;
    }
}
