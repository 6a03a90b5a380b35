using System.Numerics;
using System.Numerics.Tensors;
using OpenAutoGlm.Runtime;
using static OpenAutoGlm.Backends.Cpu.Kernels.Recurrent.RecurrentExecution;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Recurrent;

/// <summary>
/// LSTM (https://onnx.ai/onnx/operators/onnx__LSTM.html), gates stacked i, o, f, c in W, R, B and i, o, f in P.
/// Per step, with f, g, h the direction's activations (default Sigmoid, Tanh, Tanh) and clip applied to every
/// pre-activation:
/// <code>
/// it = f(Xt·Wiᵀ + Ht-1·Riᵀ + Pi ⊙ Ct-1 + Wbi + Rbi)
/// ft = f(Xt·Wfᵀ + Ht-1·Rfᵀ + Pf ⊙ Ct-1 + Wbf + Rbf)     (input_forget = 1: ft = 1 - it)
/// ct = g(Xt·Wcᵀ + Ht-1·Rcᵀ + Wbc + Rbc)
/// Ct = ft ⊙ Ct-1 + it ⊙ ct
/// ot = f(Xt·Woᵀ + Ht-1·Roᵀ + Po ⊙ Ct + Wbo + Rbo)
/// Ht = ot ⊙ h(Ct)
/// </code>
/// X·Wᵀ is one GEMM over all time steps; Ht-1·Rᵀ one GEMM per step over the batch.
/// </summary>
internal sealed class Lstm : IKernel, IRecurrentCell
{
    private const int Gates = 4;
    private readonly RecurrentAttributes _attributes;
    private readonly bool _inputForget;

    public Lstm(KernelCreationContext ctx)
    {
        _attributes = new RecurrentAttributes(ctx, ["Sigmoid", "Tanh", "Tanh"]);
        _inputForget = ctx.Attributes.GetInt("input_forget", 0) != 0;
    }

    public void Compute(KernelContext ctx)
    {
        var shape = RecurrentShape.Validate(ctx, _attributes, Gates);
        var dataType = ctx.Input(RecurrentShape.InputX).DataType;
        shape.CheckState(ctx, RecurrentShape.InputInitialC, "initial_c", dataType);
        if (ctx.OptionalInput(RecurrentShape.InputP) is { } p)
        {
            RecurrentShape.CheckDims(ctx, "P", p, dataType, [shape.Directions, 3 * shape.Hidden], $"[num_directions, 3*hidden_size] with num_directions={shape.Directions}, hidden_size={shape.Hidden}");
        }

        RecurrentExecution.Execute(ctx, shape, this, outputCount: 3);
    }

    public void Run<T>(RecurrentShape shape, RecurrentOperands<T> o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = shape.Batch, h = shape.Hidden, width = Gates * h;
        var projected = new T[shape.Seq * batch * width];
        var bias = new T[width];
        var rt = new T[h * width];
        var gates = new T[batch * width];
        var hidden = new T[batch * h];
        var cell = new T[batch * h];
        o.Y.Clear();
        for (int d = 0; d < shape.Directions; d++)
        {
            SumBias(o.B, d, Gates, h, 0, Gates, bias);
            Project(shape, o.X, o.W, d, bias, projected);
            TransposeBlock(o.R, d, width, h, rt);
            LoadState(shape, o.InitialH, d, hidden);
            LoadState(shape, o.InitialC, d, cell);
            var peephole = o.P.IsEmpty ? default : o.P.Slice(d * 3 * h, 3 * h);
            var f = _attributes.Activations[(d * 3) + 0];
            var g = _attributes.Activations[(d * 3) + 1];
            var act = _attributes.Activations[(d * 3) + 2];
            bool reverse = _attributes.IsReverse(d);
            for (int step = 0; step < shape.MaxLength; step++)
            {
                LoadStep(shape, projected, reverse, step, width, gates);
                MatMul(batch, width, h, hidden, h, rt, width, accumulate: true, gates, width);
                for (int b = 0; b < batch; b++)
                {
                    int t = TimeOf(shape, reverse, step, b);
                    if (t < 0)
                    {
                        continue;
                    }

                    var row = gates.AsSpan(b * width, width);
                    var hRow = hidden.AsSpan(b * h, h);
                    Step(row, cell.AsSpan(b * h, h), hRow, peephole, f, g, act);
                    if (!o.Y.IsEmpty)
                    {
                        hRow.CopyTo(o.Y.Slice(shape.YOffset(t, d, b), h));
                    }
                }
            }

            StoreState(shape, hidden, d, o.YH);
            StoreState(shape, cell, d, o.YC);
        }
    }

    /// <summary>One entry's step: gates [i | o | f | c] hold the pre-activations without peepholes; C and H are updated in place.</summary>
    private void Step<T>(
        Span<T> gates, Span<T> c, Span<T> hOut, ReadOnlySpan<T> peephole,
        RecurrentActivation f, RecurrentActivation g, RecurrentActivation act)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = c.Length;
        var i = gates.Slice(0, h);
        var o = gates.Slice(h, h);
        var fg = gates.Slice(2 * h, h);
        var cc = gates.Slice(3 * h, h);
        if (!peephole.IsEmpty)
        {
            TensorPrimitives.MultiplyAdd(peephole.Slice(0, h), c, i, i);
        }

        Clip(i, _attributes.Clip);
        f.Apply(i);
        if (_inputForget)
        {
            TensorPrimitives.Subtract(T.One, i, fg);
        }
        else
        {
            if (!peephole.IsEmpty)
            {
                TensorPrimitives.MultiplyAdd(peephole.Slice(2 * h, h), c, fg, fg);
            }

            Clip(fg, _attributes.Clip);
            f.Apply(fg);
        }

        Clip(cc, _attributes.Clip);
        g.Apply(cc);

        // Ct = ft ⊙ Ct-1 + it ⊙ ct
        TensorPrimitives.Multiply(fg, c, c);
        TensorPrimitives.MultiplyAdd(i, cc, c, c);

        if (!peephole.IsEmpty)
        {
            TensorPrimitives.MultiplyAdd(peephole.Slice(h, h), c, o, o);
        }

        Clip(o, _attributes.Clip);
        f.Apply(o);

        // Ht = ot ⊙ h(Ct), h(Ct) computed in the spent cell-gate slot.
        c.CopyTo(cc);
        act.Apply(cc);
        TensorPrimitives.Multiply(o, cc, hOut);
    }
}
