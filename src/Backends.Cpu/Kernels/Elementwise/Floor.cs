using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Floor: y = floor(x) (https://onnx.ai/onnx/operators/onnx__Floor.html).</summary>
internal sealed class Floor : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => MathF.Floor(x);

        public double Invoke(double x) => Math.Floor(x);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Floor(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Floor(x);
    }
}
