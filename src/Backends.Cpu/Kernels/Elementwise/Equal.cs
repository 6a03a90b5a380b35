using System.Numerics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Equal: C = (A == B) -> bool with broadcasting, for numbers, bool and strings (https://onnx.ai/onnx/operators/onnx__Equal.html).</summary>
internal sealed class Equal : IKernel
{
    public void Compute(KernelContext context)
    {
        if (context.Input(0) is StringTensor && context.Input(1) is StringTensor)
        {
            var (a, b, bDims, c, dims) = Comparison.Prepare(context);
            BroadcastDriver.Run<string, bool, StringOp>(((StringTensor)a).Data, a.Dims, ((StringTensor)b).Data, bDims, c.AsSpan<bool>(), dims);
            return;
        }

        Comparison.Compute<Op>(context);
    }

    internal readonly struct Op : IComparisonOperator
    {
        public static bool Invoke<T>(T a, T b)
            where T : INumber<T> => a == b;
    }

    /// <summary>Ordinal comparison of the UTF-8 strings' code points.</summary>
    private readonly struct StringOp : IBinaryOperator<string, bool>
    {
        public static bool Invoke(string a, string b) => string.Equals(a, b, StringComparison.Ordinal);
    }
}
