using System.Numerics;
using System.Numerics.Tensors;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>ReduceL2: y = sqrt(sum of x^2 over axes); keepdims, noop_with_empty_axes (https://onnx.ai/onnx/operators/onnx__ReduceL2.html).</summary>
internal sealed class ReduceL2 : IKernel
{
    private readonly ReduceAttributes _attributes;

    public ReduceL2(KernelCreationContext ctx)
    {
        _attributes = new ReduceAttributes(ctx);
    }

    public void Compute(KernelContext context) => ReduceDriver.Compute<Op>(context, _attributes);

    internal readonly struct Op : IReduceOperator
    {
        public static double EmptyValue => 0;

        public static T Map<T>(T x)
            where T : INumber<T> => x * x;

        public static T Combine<T>(T acc, T x)
            where T : INumber<T> => acc + x;

        public static T Finish<T>(T acc, int count)
            where T : INumber<T> => T.CreateTruncating(Math.Sqrt(double.CreateTruncating(acc)));

        public static float ReduceRow(ReadOnlySpan<float> row) => TensorPrimitives.SumOfSquares(row);

        public static void CombineRow(Span<float> acc, ReadOnlySpan<float> row) =>
            TensorPrimitives.MultiplyAdd(row, row, acc, acc);

        public static void MapRow(ReadOnlySpan<float> row, Span<float> dst) => TensorPrimitives.Multiply(row, row, dst);
    }
}
