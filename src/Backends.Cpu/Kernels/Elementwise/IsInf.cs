using System.Numerics;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// IsInf: y = (x is +inf and detect_positive) or (x is -inf and detect_negative) -> bool
/// (https://onnx.ai/onnx/operators/onnx__IsInf.html).
/// </summary>
internal sealed class IsInf : IKernel
{
    private readonly Op _op;

    public IsInf(KernelCreationContext context) =>
        _op = new Op(context.Attributes.GetInt("detect_positive", 1) != 0, context.Attributes.GetInt("detect_negative", 1) != 0);

    public void Compute(KernelContext context) => FloatPredicate.Compute(context, _op);

    internal readonly struct Op : IFloatPredicate
    {
        private readonly bool _positive;
        private readonly bool _negative;

        public Op(bool positive, bool negative)
        {
            _positive = positive;
            _negative = negative;
        }

        public bool Invoke<T>(T x)
            where T : IFloatingPointIeee754<T> =>
            (_positive && T.IsPositiveInfinity(x)) || (_negative && T.IsNegativeInfinity(x));
    }
}
