using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Log: y = ln(x) (https://onnx.ai/onnx/operators/onnx__Log.html).</summary>
internal sealed class Log : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public static int ParallelGrain => UnaryDriver.TranscendentalGrain;

        public float Invoke(float x) => MathF.Log(x);

        public double Invoke(double x) => Math.Log(x);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Log(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Log(x);
    }
}
