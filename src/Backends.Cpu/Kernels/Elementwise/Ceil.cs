using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Ceil: y = ceil(x) (https://onnx.ai/onnx/operators/onnx__Ceil.html).</summary>
internal sealed class Ceil : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, default(Op));

    internal readonly struct Op : IFloatUnaryFunction
    {
        public float Invoke(float x) => MathF.Ceiling(x);

        public double Invoke(double x) => Math.Ceiling(x);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Ceiling(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Ceiling(x);
    }
}
