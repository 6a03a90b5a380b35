using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Max: y = elementwise max(x0, x1, ...) with broadcasting; a NaN operand gives NaN (https://onnx.ai/onnx/operators/onnx__Max.html).</summary>
internal sealed class Max : IKernel
{
    public void Compute(KernelContext context) => Variadic.Compute<Op>(context);

    internal readonly struct Op : INumericBinaryOperator
    {
        public static T Invoke<T>(T a, T b)
            where T : INumber<T> => T.Max(a, b);

        public static float Invoke(float a, float b) => MathF.Max(a, b);

        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    }
}
