using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Shrink: y = x + bias for x &lt; -lambd, x - bias for x &gt; lambd, 0 otherwise; integer inputs compute in
/// float64 and truncate (https://onnx.ai/onnx/operators/onnx__Shrink.html).
/// </summary>
internal sealed class Shrink : IKernel
{
    private readonly Op _op;

    public Shrink(KernelCreationContext context) =>
        _op = new Op(context.Attributes.GetFloat("lambd", 0.5f), context.Attributes.GetFloat("bias", 0f));

    public void Compute(KernelContext context) => ElementwiseUnary.ComputeNumeric(context, _op);

    internal readonly struct Op : INumericUnaryFunction
    {
        private readonly float _lambd;
        private readonly float _bias;

        public Op(float lambd, float bias)
        {
            _lambd = lambd;
            _bias = bias;
        }

        public float Invoke(float x) => x < -_lambd ? x + _bias : x > _lambd ? x - _bias : 0;

        public T Invoke<T>(T x)
            where T : INumber<T>
        {
            double v = double.CreateTruncating(x);
            return v < -_lambd ? T.CreateTruncating(v + _bias) : v > _lambd ? T.CreateTruncating(v - _bias) : T.Zero;
        }

        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.ConditionalSelect(
                Vector256.LessThan(x, Vector256.Create(-_lambd)),
                x + Vector256.Create(_bias),
                Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(_lambd)), x - Vector256.Create(_bias), Vector256<float>.Zero));

        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.ConditionalSelect(
                Vector128.LessThan(x, Vector128.Create(-_lambd)),
                x + Vector128.Create(_bias),
                Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(_lambd)), x - Vector128.Create(_bias), Vector128<float>.Zero));
    }
}
