using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Selu: y = gamma * x for x &gt; 0, gamma * (alpha * e^x - alpha) otherwise (https://onnx.ai/onnx/operators/onnx__Selu.html).</summary>
internal sealed class Selu : IKernel
{
    private readonly Op _op;

    public Selu(KernelCreationContext context) => _op = new Op(context.Attributes.GetFloat("alpha", 1.67326319217681884765625f), context.Attributes.GetFloat("gamma", 1.05070102214813232421875f));

    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, _op);

    internal readonly struct Op : IFloatUnaryFunction
    {
        private readonly float _alpha;
        private readonly float _gamma;

        public Op(float alpha, float gamma)
        {
            _alpha = alpha;
            _gamma = gamma;
        }

        public float Invoke(float x) => x > 0 ? _gamma * x : _gamma * ((_alpha * MathF.Exp(x)) - _alpha);

        public double Invoke(double x) => x > 0 ? _gamma * x : _gamma * ((_alpha * Math.Exp(x)) - _alpha);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, (Vector256.Exp(x) * _alpha) - Vector256.Create(_alpha)) * _gamma;

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, (Vector128.Exp(x) * _alpha) - Vector128.Create(_alpha)) * _gamma;
    }
}
