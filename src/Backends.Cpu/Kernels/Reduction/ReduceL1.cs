using System.Numerics;
using System.Numerics.Tensors;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>ReduceL1: y = sum of |x| over axes; keepdims, noop_with_empty_axes (https://onnx.ai/onnx/operators/onnx__ReduceL1.html).</summary>
internal sealed class ReduceL1 : IKernel
{
    private readonly ReduceAttributes _attributes;

    public ReduceL1(KernelCreationContext ctx)
    {
        _attributes = new ReduceAttributes(ctx);
    }

    public void Compute(KernelContext context) => ReduceDriver.Compute<Op>(context, _attributes);

    internal readonly struct Op : IReduceOperator
    {
        public static double EmptyValue => 0;

        public static T Map<T>(T x)
            where T : INumber<T> => T.Abs(x);

        public static T Combine<T>(T acc, T x)
            where T : INumber<T> => acc + x;

        public static T Finish<T>(T acc, int count)
            where T : INumber<T> => acc;

        public static float ReduceRow(ReadOnlySpan<float> row) => TensorPrimitives.SumOfMagnitudes(row);

        public static void CombineRow(Span<float> acc, ReadOnlySpan<float> row)
        {
            for (int i = 0; i < acc.Length; i++)
            {
                acc[i] += MathF.Abs(row[i]);
            }
        }

        public static void MapRow(ReadOnlySpan<float> row, Span<float> dst) => TensorPrimitives.Abs(row, dst);
    }
}
