using System.Numerics;
using System.Numerics.Tensors;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>ReduceLogSum: y = log(sum of x over axes); keepdims, noop_with_empty_axes (https://onnx.ai/onnx/operators/onnx__ReduceLogSum.html).</summary>
internal sealed class ReduceLogSum : IKernel
{
    private readonly ReduceAttributes _attributes;

    public ReduceLogSum(KernelCreationContext ctx)
    {
        _attributes = new ReduceAttributes(ctx);
    }

    public void Compute(KernelContext context) => ReduceDriver.Compute<Op>(context, _attributes);

    internal readonly struct Op : IReduceOperator
    {
        public static double EmptyValue => double.NegativeInfinity;

        public static T Map<T>(T x)
            where T : INumber<T> => x;

        public static T Combine<T>(T acc, T x)
            where T : INumber<T> => acc + x;

        public static T Finish<T>(T acc, int count)
            where T : INumber<T> => T.CreateTruncating(Math.Log(double.CreateTruncating(acc)));

        public static float ReduceRow(ReadOnlySpan<float> row) => TensorPrimitives.Sum(row);

        public static void CombineRow(Span<float> acc, ReadOnlySpan<float> row) =>
            TensorPrimitives.Add(acc, row, acc);

        public static void MapRow(ReadOnlySpan<float> row, Span<float> dst) => row.CopyTo(dst);
    }
}
