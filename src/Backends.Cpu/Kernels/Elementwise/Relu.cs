using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Relu: y = max(0, x) (NaN stays NaN) (https://onnx.ai/onnx/operators/onnx__Relu.html).</summary>
internal sealed class Relu : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeNumeric(context, default(Op));

    internal readonly struct Op : INumericUnaryFunction
    {
        public float Invoke(float x) => MathF.Max(x, 0);

        public T Invoke<T>(T x)
            where T : INumber<T> => T.Max(x, T.Zero);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);
    }
}
