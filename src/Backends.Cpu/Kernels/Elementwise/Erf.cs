using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Erf: y = erf(x) = 2 / sqrt(pi) * integral from 0 to x of e^-t^2 dt (integers: the result truncated) (https://onnx.ai/onnx/operators/onnx__Erf.html).</summary>
internal sealed class Erf : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.ComputeNumeric(context, default(Op));

    internal readonly struct Op : INumericUnaryFunction
    {
        public static int ParallelGrain => UnaryDriver.TranscendentalGrain;

        public float Invoke(float x) => (float)FloatMath.Erf(x);

        public T Invoke<T>(T x)
            where T : INumber<T> => T.CreateTruncating(FloatMath.Erf(double.CreateTruncating(x)));

        public Vector256<float> Invoke(Vector256<float> x) => FloatMath.Erf(x);

        public Vector128<float> Invoke(Vector128<float> x) => FloatMath.Erf(x);
    }
}
