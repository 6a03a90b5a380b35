using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>ThresholdedRelu: y = x for x &gt; alpha, 0 otherwise (https://onnx.ai/onnx/operators/onnx__ThresholdedRelu.html).</summary>
internal sealed class ThresholdedRelu : IKernel
{
    private readonly Op _op;

    public ThresholdedRelu(KernelCreationContext context) => _op = new Op(context.Attributes.GetFloat("alpha", 1f));

    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, _op);

    internal readonly struct Op : IFloatUnaryFunction
    {
        private readonly float _alpha;

        public Op(float alpha)
        {
            _alpha = alpha;
        }

        public float Invoke(float x) => x > _alpha ? x : 0;

        public double Invoke(double x) => x > _alpha ? x : 0;

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(_alpha)), x, Vector256<float>.Zero);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(_alpha)), x, Vector128<float>.Zero);
    }
}
