using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Celu: y = max(0, x) + min(0, alpha * (e^(x / alpha) - 1)) (https://onnx.ai/onnx/operators/onnx__Celu.html).</summary>
internal sealed class Celu : IKernel
{
    private readonly Op _op;

    public Celu(KernelCreationContext context) => _op = new Op(context.Attributes.GetFloat("alpha", 1f));

    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, _op);

    internal readonly struct Op : IFloatUnaryFunction
    {
        private readonly float _alpha;

        public Op(float alpha)
        {
            _alpha = alpha;
        }

        public float Invoke(float x) => MathF.Max(0, x) + MathF.Min(0, _alpha * (MathF.Exp(x / _alpha) - 1));

        public double Invoke(double x) => Math.Max(0, x) + Math.Min(0, _alpha * (Math.Exp(x / _alpha) - 1));

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(Vector256<float>.Zero, x) + Vector256.Min(Vector256<float>.Zero, (Vector256.Exp(x / _alpha) - Vector256<float>.One) * _alpha);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(Vector128<float>.Zero, x) + Vector128.Min(Vector128<float>.Zero, (Vector128.Exp(x / _alpha) - Vector128<float>.One) * _alpha);
    }
}
