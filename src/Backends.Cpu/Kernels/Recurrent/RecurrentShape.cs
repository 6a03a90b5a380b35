using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Recurrent;

/// <summary>
/// The validated sizes of one LSTM/GRU/RNN run and the offsets of its rows in X, Y and the state tensors for
/// either layout. Inputs: X=0, W=1, R=2, B=3, sequence_lens=4, initial_h=5, initial_c=6 (LSTM), P=7 (LSTM).
/// </summary>
internal sealed class RecurrentShape
{
    public const int InputX = 0;
    public const int InputW = 1;
    public const int InputR = 2;
    public const int InputB = 3;
    public const int InputSequenceLens = 4;
    public const int InputInitialH = 5;
    public const int InputInitialC = 6;
    public const int InputP = 7;

    private RecurrentShape(int seq, int batch, int input, int hidden, int directions, bool batchFirst, int[] lengths)
    {
        Seq = seq;
        Batch = batch;
        Input = input;
        Hidden = hidden;
        Directions = directions;
        BatchFirst = batchFirst;
        Lengths = lengths;
        MaxLength = lengths.Length == 0 ? 0 : lengths.Max();
    }

    public int Seq { get; }

    public int Batch { get; }

    public int Input { get; }

    public int Hidden { get; }

    public int Directions { get; }

    public bool BatchFirst { get; }

    /// <summary>The valid length of every batch entry (seq_length when sequence_lens is absent).</summary>
    public int[] Lengths { get; }

    /// <summary>The number of steps to run: the longest valid length.</summary>
    public int MaxLength { get; }

    /// <summary>Y dims: [seq, dirs, batch, hidden], or [batch, seq, dirs, hidden] batch-first.</summary>
    public int[] OutputDims => BatchFirst ? [Batch, Seq, Directions, Hidden] : [Seq, Directions, Batch, Hidden];

    /// <summary>Y_h/Y_c (and initial_h/initial_c) dims: [dirs, batch, hidden], or [batch, dirs, hidden] batch-first.</summary>
    public int[] StateDims => BatchFirst ? [Batch, Directions, Hidden] : [Directions, Batch, Hidden];

    /// <summary>The row of X (and of the projected X·Wᵀ) holding time step <paramref name="t"/> of batch entry <paramref name="b"/>.</summary>
    public int XRow(int t, int b) => BatchFirst ? (b * Seq) + t : (t * Batch) + b;

    /// <summary>The offset of Y[t, d, b, :] (Y[b, t, d, :] batch-first).</summary>
    public int YOffset(int t, int d, int b) => (BatchFirst ? (((b * Seq) + t) * Directions) + d : (((t * Directions) + d) * Batch) + b) * Hidden;

    /// <summary>The offset of state[d, b, :] (state[b, d, :] batch-first) in initial_h/initial_c/Y_h/Y_c.</summary>
    public int StateOffset(int d, int b) => (BatchFirst ? (b * Directions) + d : (d * Batch) + b) * Hidden;

    /// <summary>
    /// Checks X, W, R, B, sequence_lens and initial_h against each other and the attributes; <paramref name="gates"/>
    /// is the number of stacked gate blocks in W and R (LSTM 4, GRU 3, RNN 1).
    /// </summary>
    public static RecurrentShape Validate(KernelContext ctx, RecurrentAttributes attributes, int gates)
    {
        var x = ctx.Input(InputX);
        var w = ctx.Input(InputW);
        var r = ctx.Input(InputR);
        if (x.Rank != 3)
        {
            throw ctx.Error($"input X must be 3-D ({(attributes.BatchFirst ? "[batch, seq_length, input_size]" : "[seq_length, batch, input_size]")}), got {x.ShapeString}");
        }

        if (x.DataType is not (DataType.Float32 or DataType.Float64 or DataType.Float16 or DataType.BFloat16))
        {
            throw ctx.Error($"input X must be float32, float64, float16 or bfloat16, got {x.DataType.Name()}");
        }

        int seq = attributes.BatchFirst ? x.Dims[1] : x.Dims[0];
        int batch = attributes.BatchFirst ? x.Dims[0] : x.Dims[1];
        int input = x.Dims[2];
        int dirs = attributes.Directions;
        if (r.Rank != 3)
        {
            throw ctx.Error($"input R must be 3-D [num_directions, {gates}*hidden_size, hidden_size], got {r.ShapeString}");
        }

        int hidden = attributes.HiddenSize >= 0 ? attributes.HiddenSize : r.Dims[2];
        string hiddenSource = attributes.HiddenSize >= 0 ? $"hidden_size={hidden}" : $"hidden_size={hidden} (from R)";
        CheckDims(ctx, "W", w, x.DataType, [dirs, gates * hidden, input], $"[num_directions, {gates}*hidden_size, input_size] with num_directions={dirs}, {hiddenSource}, input_size={input}");
        CheckDims(ctx, "R", r, x.DataType, [dirs, gates * hidden, hidden], $"[num_directions, {gates}*hidden_size, hidden_size] with num_directions={dirs}, {hiddenSource}");
        if (ctx.OptionalInput(InputB) is { } b)
        {
            CheckDims(ctx, "B", b, x.DataType, [dirs, 2 * gates * hidden], $"[num_directions, {2 * gates}*hidden_size] with num_directions={dirs}, {hiddenSource}");
        }

        var shape = new RecurrentShape(seq, batch, input, hidden, dirs, attributes.BatchFirst, SequenceLengths(ctx, seq, batch));
        shape.CheckState(ctx, InputInitialH, "initial_h", x.DataType);
        return shape;
    }

    /// <summary>Checks an optional state input (initial_h, initial_c) against <see cref="StateDims"/>.</summary>
    public void CheckState(KernelContext ctx, int index, string name, DataType dataType)
    {
        if (ctx.OptionalInput(index) is { } state)
        {
            CheckDims(ctx, name, state, dataType, StateDims, BatchFirst ? "[batch, num_directions, hidden_size]" : "[num_directions, batch, hidden_size]");
        }
    }

    /// <summary>Throws naming the input when its dtype differs from X's or its dims from <paramref name="expected"/>.</summary>
    public static void CheckDims(KernelContext ctx, string name, Tensor t, DataType dataType, int[] expected, string meaning)
    {
        if (t.DataType != dataType)
        {
            throw ctx.Error($"input {name} must have X's element type {dataType.Name()}, got {t.DataType.Name()}");
        }

        if (!t.Dims.SequenceEqual(expected))
        {
            throw ctx.Error($"input {name} has shape {t.ShapeString}, expected {Shape.Format(expected)} = {meaning}");
        }
    }

    private static int[] SequenceLengths(KernelContext ctx, int seq, int batch)
    {
        var lengths = new int[batch];
        if (ctx.OptionalInput(InputSequenceLens) is not { } t)
        {
            Array.Fill(lengths, seq);
            return lengths;
        }

        if (t.DataType is not (DataType.Int32 or DataType.Int64) || t.Rank != 1 || t.Dims[0] != batch)
        {
            throw ctx.Error($"input sequence_lens must be int32 [batch={batch}], got {t.DataType.Name()}{t.ShapeString}");
        }

        long[] values = t.ToInt64Array();
        for (int b = 0; b < batch; b++)
        {
            if (values[b] < 0 || values[b] > seq)
            {
                throw ctx.Error($"input sequence_lens has value {values[b]} for batch entry {b}, outside [0, seq_length={seq}]; all values: [{string.Join(", ", values)}]");
            }

            lengths[b] = (int)values[b];
        }

        return lengths;
    }
}
