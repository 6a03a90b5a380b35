using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Exp: y = e^x (https://onnx.ai/onnx/operators/onnx__Exp.html).</summary>
internal sealed class Exp : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public static int ParallelGrain => UnaryDriver.TranscendentalGrain;

        public float Invoke(float x) => MathF.Exp(x);

        public double Invoke(double x) => Math.Exp(x);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Exp(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Exp(x);
    }
}
