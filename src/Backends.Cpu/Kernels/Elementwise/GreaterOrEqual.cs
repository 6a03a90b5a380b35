using System.Numerics;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>GreaterOrEqual: C = (A >= B) -> bool with multidirectional broadcasting (https://onnx.ai/onnx/operators/onnx__GreaterOrEqual.html).</summary>
internal sealed class GreaterOrEqual : IKernel
{
    public void Compute(KernelContext context) => Comparison.Compute<Op>(context);

    internal readonly struct Op : IComparisonOperator
    {
        public static bool Invoke<T>(T a, T b)
            where T : INumber<T> => a >= b;
    }
}
