using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Tan: y = tan(x) (https://onnx.ai/onnx/operators/onnx__Tan.html).</summary>
internal sealed class Tan : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => MathF.Tan(x);

        public double Invoke(double x) => Math.Tan(x);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Sin(x) / Vector256.Cos(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Sin(x) / Vector128.Cos(x);
    }
}
