using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Sqrt: y = sqrt(x) (https://onnx.ai/onnx/operators/onnx__Sqrt.html).</summary>
internal sealed class Sqrt : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => MathF.Sqrt(x);

        public double Invoke(double x) => Math.Sqrt(x);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Sqrt(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Sqrt(x);
    }
}
