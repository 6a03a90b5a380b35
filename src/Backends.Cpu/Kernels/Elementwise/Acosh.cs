using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Acosh: y = arcosh(x) (https://onnx.ai/onnx/operators/onnx__Acosh.html).</summary>
internal sealed class Acosh : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public static bool Vectorizable => false;

        public float Invoke(float x) => MathF.Acosh(x);

        public double Invoke(double x) => Math.Acosh(x);

        public Vector256<float> Invoke(Vector256<float> x) => FloatMath.PerLane(this, x);

        public Vector128<float> Invoke(Vector128<float> x) => FloatMath.PerLane(this, x);
    }
}
