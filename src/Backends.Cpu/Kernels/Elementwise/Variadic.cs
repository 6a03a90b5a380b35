using System.Numerics;
using System.Runtime.Intrinsics;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Shared driver for variadic ops (Sum, Mean, Max, Min): y = op(...op(op(x0, x1), x2)..., xN-1) with all N
/// inputs broadcast together; the first step writes the full output shape and later steps run in place.
/// </summary>
internal static class Variadic
{
    /// <param name="ctx">The node's context.</param>
    /// <param name="mean">Divide the folded result by N (Mean).</param>
    public static void Compute<TOp>(KernelContext ctx, bool mean = false)
        where TOp : struct, INumericBinaryOperator
    {
        var inputs = Inputs(ctx);
        var dims = OutputDims(ctx, inputs);
        var y = ctx.Output(0, inputs[0].DataType, dims);
        switch (y.DataType)
        {
            case DataType.Float32:
                FoldFloat<TOp>(inputs.Select(t => ((Tensor<float>)t).Memory).ToArray(), inputs, y.AsSpan<float>(), dims, mean);
                break;
            case DataType.Float16:
            case DataType.BFloat16:
                var result = new float[y.Length];
                FoldFloat<TOp>(inputs.Select(t => (Memory<float>)FloatConversion.ToFloat(t)).ToArray(), inputs, result, dims, mean);
                FloatConversion.FromFloat(result, y);
                break;
            case DataType.Float64: Fold<double, TOp>(inputs, y, dims, mean); break;
            case DataType.Int8: Fold<sbyte, TOp>(inputs, y, dims, mean); break;
            case DataType.Int16: Fold<short, TOp>(inputs, y, dims, mean); break;
            case DataType.Int32: Fold<int, TOp>(inputs, y, dims, mean); break;
            case DataType.Int64: Fold<long, TOp>(inputs, y, dims, mean); break;
            case DataType.UInt8: Fold<byte, TOp>(inputs, y, dims, mean); break;
            case DataType.UInt16: Fold<ushort, TOp>(inputs, y, dims, mean); break;
            case DataType.UInt32: Fold<uint, TOp>(inputs, y, dims, mean); break;
            case DataType.UInt64: Fold<ulong, TOp>(inputs, y, dims, mean); break;
            default: throw ctx.Error($"unsupported element type {y.DataType.Name()}");
        }
    }

    private static Tensor[] Inputs(KernelContext ctx)
    {
        if (ctx.InputCount == 0)
        {
            throw ctx.Error("needs at least one input");
        }

        var inputs = new Tensor[ctx.InputCount];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = ctx.Input(i);
            if (inputs[i].DataType != inputs[0].DataType)
            {
                throw ctx.Error($"inputs must have the same dtype, input {i} is {inputs[i].DataType.Name()} but input 0 is {inputs[0].DataType.Name()}");
            }
        }

        return inputs;
    }

    private static int[] OutputDims(KernelContext ctx, Tensor[] inputs)
    {
        int[] dims = inputs[0].DimsArray();
        for (int i = 1; i < inputs.Length; i++)
        {
            try
            {
                dims = ShapeRules.Broadcast(dims, inputs[i].Dims);
            }
            catch (ShapeInferenceException ex)
            {
                throw ctx.Error($"input {i}: {ex.Message}");
            }
        }

        return dims;
    }

    /// <param name="values">Input i's elements as float32 (the tensor's own memory, or a widened copy).</param>
    private static void FoldFloat<TOp>(Memory<float>[] values, Tensor[] inputs, Span<float> y, int[] dims, bool mean)
        where TOp : struct, INumericBinaryOperator
    {
        if (values.Length == 1)
        {
            values[0].Span.CopyTo(y);
        }
        else
        {
            BroadcastDriver.RunFloat<TOp>(values[0].Span, inputs[0].Dims, values[1].Span, inputs[1].Dims, y, dims);
            for (int i = 2; i < values.Length; i++)
            {
                BroadcastDriver.RunFloat<TOp>(y, dims, values[i].Span, inputs[i].Dims, y, dims);
            }
        }

        if (mean)
        {
            UnaryDriver.Run(new DivideBy(values.Length), y, y);
        }
    }

    private static void Fold<T, TOp>(Tensor[] inputs, Tensor y, int[] dims, bool mean)
        where T : unmanaged, INumber<T>
        where TOp : struct, INumericBinaryOperator
    {
        var ys = y.AsSpan<T>();
        if (inputs.Length == 1)
        {
            inputs[0].AsSpan<T>().CopyTo(ys);
        }
        else
        {
            BroadcastDriver.Run<T, T, NumericBinary<T, TOp>>(inputs[0].AsSpan<T>(), inputs[0].Dims, inputs[1].AsSpan<T>(), inputs[1].Dims, ys, dims);
            for (int i = 2; i < inputs.Length; i++)
            {
                BroadcastDriver.Run<T, T, NumericBinary<T, TOp>>(ys, dims, inputs[i].AsSpan<T>(), inputs[i].Dims, ys, dims);
            }
        }

        if (mean)
        {
            T n = T.CreateTruncating(inputs.Length);
            for (int i = 0; i < ys.Length; i++)
            {
                ys[i] /= n;
            }
        }
    }

    private readonly struct DivideBy : IVectorUnaryFunction
    {
        private readonly float _n;

        public DivideBy(int n) => _n = n;

        public float Invoke(float x) => x / _n;

        public Vector256<float> Invoke(Vector256<float> x) => x / _n;

        public Vector128<float> Invoke(Vector128<float> x) => x / _n;
    }
}
