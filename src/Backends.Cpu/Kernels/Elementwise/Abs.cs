using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Abs: y = |x| (integers wrap at the minimum value like C) (https://onnx.ai/onnx/operators/onnx__Abs.html).</summary>
internal sealed class Abs : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeNumeric(context, default(Op));

    internal readonly struct Op : INumericUnaryFunction
    {
        public float Invoke(float x) => MathF.Abs(x);

        public T Invoke<T>(T x)
            where T : INumber<T> => T.IsNegative(x) ? -x : x;

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Abs(x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Abs(x);
    }
}
