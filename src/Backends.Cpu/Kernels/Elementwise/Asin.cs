using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Asin: y = arcsin(x) (https://onnx.ai/onnx/operators/onnx__Asin.html).</summary>
internal sealed class Asin : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public static bool Vectorizable => false;

        public float Invoke(float x) => MathF.Asin(x);

        public double Invoke(double x) => Math.Asin(x);

        public Vector256<float> Invoke(Vector256<float> x) => FloatMath.PerLane(this, x);

        public Vector128<float> Invoke(Vector128<float> x) => FloatMath.PerLane(this, x);
    }
}
