using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Atanh: y = artanh(x) (https://onnx.ai/onnx/operators/onnx__Atanh.html).</summary>
internal sealed class Atanh : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public static bool Vectorizable => false;

        public float Invoke(float x) => MathF.Atanh(x);

        public double Invoke(double x) => Math.Atanh(x);

        public Vector256<float> Invoke(Vector256<float> x) => FloatMath.PerLane(this, x);

        public Vector128<float> Invoke(Vector128<float> x) => FloatMath.PerLane(this, x);
    }
}
