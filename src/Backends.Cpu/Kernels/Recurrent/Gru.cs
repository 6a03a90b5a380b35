using System.Numerics;
using System.Numerics.Tensors;
using OpenAutoGlm.Runtime;
using static OpenAutoGlm.Backends.Cpu.Kernels.Recurrent.RecurrentExecution;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Recurrent;

/// <summary>
/// GRU (https://onnx.ai/onnx/operators/onnx__GRU.html), gates stacked z, r, h in W, R and B. Per step, with f, g
/// the direction's activations (default Sigmoid, Tanh) and clip applied to every pre-activation:
/// <code>
/// zt = f(Xt·Wzᵀ + Ht-1·Rzᵀ + Wbz + Rbz)
/// rt = f(Xt·Wrᵀ + Ht-1·Rrᵀ + Wbr + Rbr)
/// ht = g(Xt·Whᵀ + (rt ⊙ Ht-1)·Rhᵀ + Rbh + Wbh)          linear_before_reset = 0
/// ht = g(Xt·Whᵀ + rt ⊙ (Ht-1·Rhᵀ + Rbh) + Wbh)          linear_before_reset = 1
/// Ht = (1 - zt) ⊙ ht + zt ⊙ Ht-1
/// </code>
/// linear_before_reset exists from opset 3; opset 1 models always use 0.
/// </summary>
internal sealed class Gru : IKernel, IRecurrentCell
{
    private const int Gates = 3;
    private readonly RecurrentAttributes _attributes;
    private readonly bool _linearBeforeReset;

    public Gru(KernelCreationContext ctx)
    {
        _attributes = new RecurrentAttributes(ctx, ["Sigmoid", "Tanh"]);
        _linearBeforeReset = ctx.Opset >= 3 && ctx.Attributes.GetInt("linear_before_reset", 0) != 0;
    }

    public void Compute(KernelContext ctx)
    {
        var shape = RecurrentShape.Validate(ctx, _attributes, Gates);
        RecurrentExecution.Execute(ctx, shape, this, outputCount: 2);
    }

    public void Run<T>(RecurrentShape shape, RecurrentOperands<T> o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = shape.Batch, h = shape.Hidden, width = Gates * h;
        var projected = new T[shape.Seq * batch * width];
        var bias = new T[width];
        var recurrentBiasH = new T[h];
        var rt = new T[h * width];
        var gates = new T[batch * width];
        var hidden = new T[batch * h];
        var candidate = new T[batch * h];
        var reset = _linearBeforeReset ? null : new T[batch * h];
        o.Y.Clear();
        for (int d = 0; d < shape.Directions; d++)
        {
            // z and r take Wb + Rb; h takes Wbh + Rbh unless linear_before_reset keeps Rbh inside rt ⊙ (...).
            SumBias(o.B, d, Gates, h, 0, _linearBeforeReset ? 2 : 3, bias);
            if (_linearBeforeReset)
            {
                if (o.B.IsEmpty)
                {
                    bias.AsSpan(2 * h).Clear();
                    recurrentBiasH.AsSpan().Clear();
                }
                else
                {
                    o.B.Slice((d * 2 * width) + (2 * h), h).CopyTo(bias.AsSpan(2 * h));
                    o.B.Slice((((d * 2) + 1) * width) + (2 * h), h).CopyTo(recurrentBiasH);
                }
            }

            Project(shape, o.X, o.W, d, bias, projected);
            TransposeBlock(o.R, d, width, h, rt);
            LoadState(shape, o.InitialH, d, hidden);
            var f = _attributes.Activations[(d * 2) + 0];
            var g = _attributes.Activations[(d * 2) + 1];
            bool reverse = _attributes.IsReverse(d);
            ReadOnlySpan<T> rh = rt.AsSpan(2 * h);
            for (int step = 0; step < shape.MaxLength; step++)
            {
                LoadStep(shape, projected, reverse, step, width, gates);

                // [z | r] += Ht-1 · [Rz | Rr]ᵀ
                MatMul(batch, 2 * h, h, hidden, h, rt, width, accumulate: true, gates, width);
                for (int b = 0; b < batch; b++)
                {
                    if (TimeOf(shape, reverse, step, b) >= 0)
                    {
                        var zr = gates.AsSpan(b * width, 2 * h);
                        Clip(zr, _attributes.Clip);
                        f.Apply(zr);
                    }
                }

                if (_linearBeforeReset)
                {
                    // candidate = rt ⊙ (Ht-1 · Rhᵀ + Rbh)
                    MatMul(batch, h, h, hidden, h, rh, width, accumulate: false, candidate, h);
                    for (int b = 0; b < batch; b++)
                    {
                        var row = candidate.AsSpan(b * h, h);
                        TensorPrimitives.Add(row, recurrentBiasH, row);
                        TensorPrimitives.Multiply(row, gates.AsSpan((b * width) + h, h), row);
                    }
                }
                else
                {
                    // candidate = (rt ⊙ Ht-1) · Rhᵀ
                    for (int b = 0; b < batch; b++)
                    {
                        TensorPrimitives.Multiply(gates.AsSpan((b * width) + h, h), hidden.AsSpan(b * h, h), reset.AsSpan(b * h, h));
                    }

                    MatMul(batch, h, h, reset, h, rh, width, accumulate: false, candidate, h);
                }

                for (int b = 0; b < batch; b++)
                {
                    int t = TimeOf(shape, reverse, step, b);
                    if (t < 0)
                    {
                        continue;
                    }

                    var z = gates.AsSpan(b * width, h);
                    var ht = gates.AsSpan((b * width) + (2 * h), h);
                    var hRow = hidden.AsSpan(b * h, h);
                    var scratch = candidate.AsSpan(b * h, h);
                    TensorPrimitives.Add(ht, scratch, ht);
                    Clip(ht, _attributes.Clip);
                    g.Apply(ht);

                    // Ht = (1 - zt) ⊙ ht + zt ⊙ Ht-1 = zt ⊙ (Ht-1 - ht) + ht
                    TensorPrimitives.Subtract(hRow, ht, scratch);
                    TensorPrimitives.MultiplyAdd(z, scratch, ht, hRow);
                    if (!o.Y.IsEmpty)
                    {
                        hRow.CopyTo(o.Y.Slice(shape.YOffset(t, d, b), h));
                    }
                }
            }

            StoreState(shape, hidden, d, o.YH);
        }
    }
}
