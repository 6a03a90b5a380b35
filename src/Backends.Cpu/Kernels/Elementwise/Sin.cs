using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Sin: y = sin(x) (https://onnx.ai/onnx/operators/onnx__Sin.html).</summary>
internal sealed class Sin : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => MathF.Sin(x);

        public double Invoke(double x) => Math.Sin(x);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Sin(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Sin(x);
    }
}
