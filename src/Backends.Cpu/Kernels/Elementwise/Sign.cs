using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Sign: y = 1 for x &gt; 0, -1 for x &lt; 0, x itself for 0 and NaN (https://onnx.ai/onnx/operators/onnx__Sign.html).</summary>
internal sealed class Sign : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeNumeric(context, default(Op));

    internal readonly struct Op : INumericUnaryFunction
    {
        public float Invoke(float x) => x > 0 ? 1 : x < 0 ? -1 : x;

        public T Invoke<T>(T x)
            where T : INumber<T> => x > T.Zero ? T.One : x < T.Zero ? -T.One : x;

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -Vector256<float>.One, x));

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.One, Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), -Vector128<float>.One, x));
    }
}
