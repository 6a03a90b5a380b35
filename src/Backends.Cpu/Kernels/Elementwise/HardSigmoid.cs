using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>HardSigmoid: y = max(0, min(1, alpha * x + beta)) (https://onnx.ai/onnx/operators/onnx__HardSigmoid.html).</summary>
internal sealed class HardSigmoid : IKernel
{
    private readonly Op _op;

    public HardSigmoid(KernelCreationContext context) => _op = new Op(context.Attributes.GetFloat("alpha", 0.2f), context.Attributes.GetFloat("beta", 0.5f));

    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, _op);

    internal readonly struct Op : IFloatUnaryFunction
    {
        private readonly float _alpha;
        private readonly float _beta;

        public Op(float alpha, float beta)
        {
            _alpha = alpha;
            _beta = beta;
        }

        public float Invoke(float x) => MathF.Max(0, MathF.Min(1, (_alpha * x) + _beta));

        public double Invoke(double x) => Math.Max(0, Math.Min(1, (_alpha * x) + _beta));

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(Vector256<float>.Zero, Vector256.Min(Vector256<float>.One, (x * _alpha) + Vector256.Create(_beta)));

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(Vector128<float>.Zero, Vector128.Min(Vector128<float>.One, (x * _alpha) + Vector128.Create(_beta)));
    }
}
