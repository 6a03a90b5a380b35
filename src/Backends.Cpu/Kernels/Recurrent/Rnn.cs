using System.Numerics;
using OpenAutoGlm.Runtime;
using static OpenAutoGlm.Backends.Cpu.Kernels.Recurrent.RecurrentExecution;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Recurrent;

/// <summary>
/// RNN (https://onnx.ai/onnx/operators/onnx__RNN.html): Ht = f(clip(Xt·Wiᵀ + Ht-1·Riᵀ + Wbi + Rbi)) with f the
/// direction's activation (default Tanh).
/// </summary>
internal sealed class Rnn : IKernel, IRecurrentCell
{
    private readonly RecurrentAttributes _attributes;

    public Rnn(KernelCreationContext ctx) => _attributes = new RecurrentAttributes(ctx, ["Tanh"]);

    public void Compute(KernelContext ctx)
    {
        var shape = RecurrentShape.Validate(ctx, _attributes, gates: 1);
        RecurrentExecution.Execute(ctx, shape, this, outputCount: 2);
    }

    public void Run<T>(RecurrentShape shape, RecurrentOperands<T> o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = shape.Batch, h = shape.Hidden;
        var projected = new T[shape.Seq * batch * h];
        var bias = new T[h];
        var rt = new T[h * h];
        var gates = new T[batch * h];
        var hidden = new T[batch * h];
        o.Y.Clear();
        for (int d = 0; d < shape.Directions; d++)
        {
            SumBias(o.B, d, 1, h, 0, 1, bias);
            Project(shape, o.X, o.W, d, bias, projected);
            TransposeBlock(o.R, d, h, h, rt);
            LoadState(shape, o.InitialH, d, hidden);
            var f = _attributes.Activations[d];
            bool reverse = _attributes.IsReverse(d);
            for (int step = 0; step < shape.MaxLength; step++)
            {
                LoadStep(shape, projected, reverse, step, h, gates);
                MatMul(batch, h, h, hidden, h, rt, h, accumulate: true, gates, h);
                for (int b = 0; b < batch; b++)
                {
                    int t = TimeOf(shape, reverse, step, b);
                    if (t < 0)
                    {
                        continue;
                    }

                    var row = gates.AsSpan(b * h, h);
                    Clip(row, _attributes.Clip);
                    f.Apply(row);
                    row.CopyTo(hidden.AsSpan(b * h, h));
                    if (!o.Y.IsEmpty)
                    {
                        row.CopyTo(o.Y.Slice(shape.YOffset(t, d, b), h));
                    }
                }
            }

            StoreState(shape, hidden, d, o.YH);
        }
    }
}
