using System.Numerics;
using System.Numerics.Tensors;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>ReduceMax: y = max of x over axes (NaN propagates); keepdims, noop_with_empty_axes (https://onnx.ai/onnx/operators/onnx__ReduceMax.html).</summary>
internal sealed class ReduceMax : IKernel
{
    private readonly ReduceAttributes _attributes;

    public ReduceMax(KernelCreationContext ctx)
    {
        _attributes = new ReduceAttributes(ctx);
    }

    public void Compute(KernelContext context) => ReduceDriver.Compute<Op>(context, _attributes, allowInt8: true);

    internal readonly struct Op : IReduceOperator
    {
        public static double EmptyValue => double.NegativeInfinity;

        public static T Map<T>(T x)
            where T : INumber<T> => x;

        public static T Combine<T>(T acc, T x)
            where T : INumber<T> => T.IsNaN(acc) || acc >= x ? acc : x;

        public static T Finish<T>(T acc, int count)
            where T : INumber<T> => acc;

        public static float ReduceRow(ReadOnlySpan<float> row) => TensorPrimitives.Max(row);

        public static void CombineRow(Span<float> acc, ReadOnlySpan<float> row) =>
            TensorPrimitives.Max(acc, row, acc);

        public static void MapRow(ReadOnlySpan<float> row, Span<float> dst) => row.CopyTo(dst);
    }
}
