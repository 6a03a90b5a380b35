using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Mul: C = A * B with multidirectional broadcasting (https://onnx.ai/onnx/operators/onnx__Mul.html).</summary>
internal sealed class Mul : IKernel
{
    public void Compute(KernelContext context) => ElementwiseBinary.Compute<Op>(context);

    internal readonly struct Op : INumericBinaryOperator
    {
        public static T Invoke<T>(T a, T b)
            where T : INumber<T> => a * b;

        public static float Invoke(float a, float b) => a * b;

        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a * b;

        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a * b;
    }
}
