using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Round: y = x rounded to the nearest integer, halves to even (https://onnx.ai/onnx/operators/onnx__Round.html).</summary>
internal sealed class Round : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => MathF.Round(x, MidpointRounding.ToEven);

        public double Invoke(double x) => Math.Round(x, MidpointRounding.ToEven);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Round(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Round(x);
    }
}
