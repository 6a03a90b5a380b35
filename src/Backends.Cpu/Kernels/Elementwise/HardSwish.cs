using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>HardSwish: y = x * max(0, min(1, x / 6 + 1/2)) (https://onnx.ai/onnx/operators/onnx__HardSwish.html).</summary>
internal sealed class HardSwish : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => x * MathF.Max(0, MathF.Min(1, (x * (1f / 6)) + 0.5f));

        public double Invoke(double x) => x * Math.Max(0, Math.Min(1, (x / 6) + 0.5));

        public Vector256<float> Invoke(Vector256<float> x) => x * Vector256.Max(Vector256<float>.Zero, Vector256.Min(Vector256<float>.One, (x * (1f / 6)) + Vector256.Create(0.5f)));

        public Vector128<float> Invoke(Vector128<float> x) => x * Vector128.Max(Vector128<float>.Zero, Vector128.Min(Vector128<float>.One, (x * (1f / 6)) + Vector128.Create(0.5f)));
    }
}
