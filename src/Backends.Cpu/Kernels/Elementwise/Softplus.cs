using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Softplus: y = ln(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so it neither overflows nor loses small values (https://onnx.ai/onnx/operators/onnx__Softplus.html).</summary>
internal sealed class Softplus : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => (float)Evaluate(x);

        public double Invoke(double x) => Evaluate(x);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero) + FloatMath.Log1p(Vector256.Exp(-Vector256.Abs(x)));

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero) + FloatMath.Log1p(Vector128.Exp(-Vector128.Abs(x)));

        private static double Evaluate(double x) => Math.Max(x, 0) + FloatMath.Log1p(Math.Exp(-Math.Abs(x)));
    }
}
