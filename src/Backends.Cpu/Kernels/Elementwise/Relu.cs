using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Relu: y = max(0, x) (https://onnx.ai/onnx/operators/onnx__Relu.html).</summary>
internal sealed class Relu : IKernel
{
    public void Compute(KernelContext context) => ElementwiseUnary.Compute<Op>(context, static x => System.Math.Max(0, x));

    internal readonly struct Op : IUnaryOperator
    {
        public static float Invoke(float x) => x > 0 ? x : 0;

        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);
    }
}
