using System.Numerics;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>LessOrEqual: C = (A <= B) -> bool with multidirectional broadcasting (https://onnx.ai/onnx/operators/onnx__LessOrEqual.html).</summary>
internal sealed class LessOrEqual : IKernel
{
    public void Compute(KernelContext context) => Comparison.Compute<Op>(context);

    internal readonly struct Op : IComparisonOperator
    {
        public static bool Invoke<T>(T a, T b)
            where T : INumber<T> => a <= b;
    }
}
