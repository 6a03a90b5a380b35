using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Cos: y = cos(x) (https://onnx.ai/onnx/operators/onnx__Cos.html).</summary>
internal sealed class Cos : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => MathF.Cos(x);

        public double Invoke(double x) => Math.Cos(x);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Cos(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Cos(x);
    }
}
