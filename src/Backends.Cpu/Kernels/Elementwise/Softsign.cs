using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Softsign: y = x / (1 + |x|) (https://onnx.ai/onnx/operators/onnx__Softsign.html).</summary>
internal sealed class Softsign : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => x / (1 + MathF.Abs(x));

        public double Invoke(double x) => x / (1 + Math.Abs(x));

        public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Abs(x));

        public Vector128<float> Invoke(Vector128<float> x) => x / (Vector128<float>.One + Vector128.Abs(x));
    }
}
