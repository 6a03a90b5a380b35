using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Elu: y = x for x &gt;= 0, alpha * (e^x - 1) otherwise (https://onnx.ai/onnx/operators/onnx__Elu.html).</summary>
internal sealed class Elu : IKernel
{
    private readonly Op _op;

    public Elu(KernelCreationContext context) => _op = new Op(context.Attributes.GetFloat("alpha", 1f));

    public void Compute(KernelContext context) => ElementwiseUnary.ComputeFloat(context, _op);

    internal readonly struct Op : IFloatUnaryFunction
    {
        private readonly float _alpha;

        public Op(float alpha)
        {
            _alpha = alpha;
        }

        public float Invoke(float x) => x < 0 ? _alpha * (MathF.Exp(x) - 1) : x;

        public double Invoke(double x) => x < 0 ? _alpha * (Math.Exp(x) - 1) : x;

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), (Vector256.Exp(x) - Vector256<float>.One) * _alpha, x);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), (Vector128.Exp(x) - Vector128<float>.One) * _alpha, x);
    }
}
