using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Tanh: y = tanh(x) (https://onnx.ai/onnx/operators/onnx__Tanh.html).</summary>
internal sealed class Tanh : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public static int ParallelGrain => UnaryDriver.TranscendentalGrain;

        public float Invoke(float x) => MathF.Tanh(x);

        public double Invoke(double x) => Math.Tanh(x);

        public Vector256<float> Invoke(Vector256<float> x) => FloatMath.Tanh(x);

        public Vector128<float> Invoke(Vector128<float> x) => FloatMath.Tanh(x);
    }
}
