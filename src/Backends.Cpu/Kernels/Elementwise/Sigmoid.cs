using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Sigmoid: y = 1 / (1 + e^-x) (https://onnx.ai/onnx/operators/onnx__Sigmoid.html).</summary>
internal sealed class Sigmoid : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public static int ParallelGrain => UnaryDriver.TranscendentalGrain;

        public float Invoke(float x) => 1 / (1 + MathF.Exp(-x));

        public double Invoke(double x) => 1 / (1 + Math.Exp(-x));

        public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

        public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));
    }
}
