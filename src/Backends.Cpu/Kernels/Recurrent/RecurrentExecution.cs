using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using Blas = OpenAutoGlm.Backends.Cpu.Simd.Gemm;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Recurrent;

/// <summary>The tensors of one run as spans of the compute type; an omitted input or unread output is empty.</summary>
internal readonly ref struct RecurrentOperands<T>
    where T : unmanaged
{
    public RecurrentOperands(Tensor?[] inputs, Tensor?[] outputs)
    {
        X = In(inputs, RecurrentShape.InputX);
        W = In(inputs, RecurrentShape.InputW);
        R = In(inputs, RecurrentShape.InputR);
        B = In(inputs, RecurrentShape.InputB);
        InitialH = In(inputs, RecurrentShape.InputInitialH);
        InitialC = In(inputs, RecurrentShape.InputInitialC);
        P = In(inputs, RecurrentShape.InputP);
        Y = Out(outputs, 0);
        YH = Out(outputs, 1);
        YC = Out(outputs, 2);
    }

    public ReadOnlySpan<T> X { get; }

    public ReadOnlySpan<T> W { get; }

    public ReadOnlySpan<T> R { get; }

    public ReadOnlySpan<T> B { get; }

    public ReadOnlySpan<T> InitialH { get; }

    public ReadOnlySpan<T> InitialC { get; }

    public ReadOnlySpan<T> P { get; }

    public Span<T> Y { get; }

    public Span<T> YH { get; }

    public Span<T> YC { get; }

    private static ReadOnlySpan<T> In(Tensor?[] inputs, int i) => i < inputs.Length && inputs[i] is { } t ? t.AsReadOnlySpan<T>() : default;

    private static Span<T> Out(Tensor?[] outputs, int i) => i < outputs.Length && outputs[i] is { } t ? t.AsSpan<T>() : default;
}

/// <summary>The recurrence of one op (LSTM, GRU, RNN) over every direction, for float32 or float64.</summary>
internal interface IRecurrentCell
{
    void Run<T>(RecurrentShape shape, RecurrentOperands<T> operands)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// What LSTM, GRU and RNN share around their step equations: output allocation, dtype dispatch (float16 and
/// bfloat16 compute in float32), weight transposition, the GEMMs and state loading/storing.
/// </summary>
internal static class RecurrentExecution
{
    /// <summary>Allocates the requested outputs (Y, Y_h and, for LSTM, Y_c) and runs <paramref name="cell"/> in X's dtype.</summary>
    public static void Execute(KernelContext ctx, RecurrentShape shape, IRecurrentCell cell, int outputCount)
    {
        var dataType = ctx.Input(RecurrentShape.InputX).DataType;
        var inputs = new Tensor?[RecurrentShape.InputP + 1];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = i == RecurrentShape.InputSequenceLens ? null : ctx.OptionalInput(i);
        }

        var outputs = new Tensor?[outputCount];
        for (int i = 0; i < outputCount; i++)
        {
            if (i < ctx.OutputCount && ctx.IsOutputRequested(i))
            {
                outputs[i] = ctx.Output(i, dataType, i == 0 ? shape.OutputDims : shape.StateDims);
            }
        }

        switch (dataType)
        {
            case DataType.Float32:
                cell.Run(shape, new RecurrentOperands<float>(inputs, outputs));
                break;
            case DataType.Float64:
                cell.Run(shape, new RecurrentOperands<double>(inputs, outputs));
                break;
            default:
                var wideInputs = inputs.Select(t => t is null ? null : (Tensor?)Tensor.Create(FloatConversion.ToFloat(t), t.DimsArray())).ToArray();
                var wideOutputs = outputs.Select(t => t is null ? null : (Tensor?)new Tensor<float>(t.Dims)).ToArray();
                cell.Run(shape, new RecurrentOperands<float>(wideInputs, wideOutputs));
                for (int i = 0; i < outputs.Length; i++)
                {
                    if (outputs[i] is { } narrow)
                    {
                        FloatConversion.FromFloat(wideOutputs[i]!.AsSpan<float>(), narrow);
                    }
                }

                break;
        }
    }

    /// <summary>dst [cols, rows] = block <paramref name="d"/> of <paramref name="w"/> [dirs, rows, cols], transposed.</summary>
    public static void TransposeBlock<T>(ReadOnlySpan<T> w, int d, int rows, int cols, Span<T> dst)
        where T : unmanaged
    {
        var src = w.Slice(d * rows * cols, rows * cols);
        if (typeof(T) == typeof(float))
        {
            Blas.Transpose(MemoryMarshal.Cast<T, float>(src), cols, rows, cols, MemoryMarshal.Cast<T, float>(dst));
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                dst[(c * rows) + r] = src[(r * cols) + c];
            }
        }
    }

    /// <summary>C [m, n] = A [m, k] · B [k, n] (+ C when <paramref name="accumulate"/>), all row-major with leading dimensions.</summary>
    public static void MatMul<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, bool accumulate, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Blas.Sgemm(
                false, false, m, n, k, 1f,
                MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                accumulate ? 1f : 0f, MemoryMarshal.Cast<T, float>(c), ldc);
        }
        else
        {
            Blas.Generic(false, false, m, n, k, T.One, a, lda, b, ldb, accumulate ? T.One : T.Zero, c, ldc);
        }
    }

    /// <summary>
    /// projected [rows, gateWidth] = X [rows, input] · W[d]ᵀ + bias, one GEMM over every time step
    /// (rows in X's own order, see <see cref="RecurrentShape.XRow"/>).
    /// </summary>
    public static void Project<T>(RecurrentShape shape, ReadOnlySpan<T> x, ReadOnlySpan<T> w, int d, ReadOnlySpan<T> bias, Span<T> projected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = shape.Seq * shape.Batch;
        int width = bias.Length;
        var wt = new T[shape.Input * width];
        TransposeBlock(w, d, width, shape.Input, wt);
        for (int row = 0; row < rows; row++)
        {
            bias.CopyTo(projected.Slice(row * width, width));
        }

        MatMul(rows, width, shape.Input, x, shape.Input, wt, width, accumulate: true, projected, width);
    }

    /// <summary>The summed bias Wb + Rb of direction <paramref name="d"/> for gate blocks [first, first + count); zero without B.</summary>
    public static void SumBias<T>(ReadOnlySpan<T> b, int d, int gates, int hidden, int first, int count, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var target = dst.Slice(first * hidden, count * hidden);
        if (b.IsEmpty)
        {
            target.Clear();
            return;
        }

        var wb = b.Slice((d * 2 * gates * hidden) + (first * hidden), count * hidden);
        var rb = b.Slice((((d * 2) + 1) * gates * hidden) + (first * hidden), count * hidden);
        TensorPrimitives.Add(wb, rb, target);
    }

    /// <summary>state [batch, hidden] = initial[d] (or zeros without the input).</summary>
    public static void LoadState<T>(RecurrentShape shape, ReadOnlySpan<T> initial, int d, Span<T> state)
    {
        int h = shape.Hidden;
        for (int b = 0; b < shape.Batch; b++)
        {
            var row = state.Slice(b * h, h);
            if (initial.IsEmpty)
            {
                row.Clear();
            }
            else
            {
                initial.Slice(shape.StateOffset(d, b), h).CopyTo(row);
            }
        }
    }

    /// <summary>
    /// output[d] = the state after each entry's last valid step; zero for entries of length 0 (no step ran), as
    /// ONNX Runtime does. Nothing when the output is not requested.
    /// </summary>
    public static void StoreState<T>(RecurrentShape shape, ReadOnlySpan<T> state, int d, Span<T> output)
    {
        if (output.IsEmpty)
        {
            return;
        }

        int h = shape.Hidden;
        for (int b = 0; b < shape.Batch; b++)
        {
            var dst = output.Slice(shape.StateOffset(d, b), h);
            if (shape.Lengths[b] == 0)
            {
                dst.Clear();
            }
            else
            {
                state.Slice(b * h, h).CopyTo(dst);
            }
        }
    }

    /// <summary>
    /// The time step entry <paramref name="b"/> processes at step <paramref name="step"/>: <c>step</c> forward,
    /// <c>length - 1 - step</c> in reverse (each sequence starts at its own last valid step); -1 once it is over.
    /// </summary>
    public static int TimeOf(RecurrentShape shape, bool reverse, int step, int b) =>
        step >= shape.Lengths[b] ? -1 : reverse ? shape.Lengths[b] - 1 - step : step;

    /// <summary>Loads the projected rows of every entry still running at <paramref name="step"/> into gates [batch, width]; rows of finished entries are zeroed (computed but never used).</summary>
    public static void LoadStep<T>(RecurrentShape shape, ReadOnlySpan<T> projected, bool reverse, int step, int width, Span<T> gates)
    {
        for (int b = 0; b < shape.Batch; b++)
        {
            int t = TimeOf(shape, reverse, step, b);
            var row = gates.Slice(b * width, width);
            if (t >= 0)
            {
                projected.Slice(shape.XRow(t, b) * width, width).CopyTo(row);
            }
            else
            {
                row.Clear();
            }
        }
    }

    /// <summary>x = clamp(x, -clip, clip) when a clip threshold is set.</summary>
    public static void Clip<T>(Span<T> x, float? clip)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (clip is float c)
        {
            T bound = T.CreateTruncating(c);
            TensorPrimitives.Min(x, bound, x);
            TensorPrimitives.Max(x, -bound, x);
        }
    }
}
