using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>
/// QLinearMatMul: y = saturate(round_half_to_even(((a - a_zp) @ (b - b_zp)) * a_scale * b_scale / y_scale) + y_zp),
/// int32 accumulation; a parameters per tensor or per row, b per tensor or per column
/// (https://onnx.ai/onnx/operators/onnx__QLinearMatMul.html).
/// </summary>
internal sealed class QLinearMatMul : IKernel
{
    public void Compute(KernelContext context)
    {
        var a = context.Input(0);
        var aScale = context.Input(1);
        var aZp = context.Input(2);
        var b = context.Input(3);
        var bScale = context.Input(4);
        var bZp = context.Input(5);
        var yScale = context.Input(6);
        var yZp = context.Input(7);
        var plan = IntegerMatMul.Plan(context, a, b);
        if (aScale.Length != aZp.Length || bScale.Length != bZp.Length)
        {
            throw context.Error($"scale and zero point must have the same shape: a {aScale.ShapeString} vs {aZp.ShapeString}, b {bScale.ShapeString} vs {bZp.ShapeString}");
        }

        var aRow = IntegerMatMul.RowParameter(context, aZp.Length, plan.ADims, "a_zero_point");
        var bCol = IntegerMatMul.ColumnParameter(context, bZp.Length, plan.BDims, "b_zero_point");
        int[] acc = plan.Multiply(IntegerMatMul.Centered(context, a, aZp, aRow, "a"), IntegerMatMul.Centered(context, b, bZp, bCol, "b"));

        float[] sa = QuantMath.ToFloat(context, aScale, "a_scale");
        float[] sb = QuantMath.ToFloat(context, bScale, "b_scale");
        float[] sy = QuantMath.ToFloat(context, yScale, "y_scale");
        int[] zy = QuantMath.ToInt32(context, yZp, "y_zero_point");
        if (sy.Length != 1 || zy.Length != 1)
        {
            throw context.Error($"y_scale and y_zero_point must be scalars, got shapes {yScale.ShapeString} and {yZp.ShapeString}");
        }

        var (min, max) = QuantMath.Range(context, yZp.DataType);
        int m = plan.M;
        int n = plan.N;
        int k = plan.K;
        int aBatch = AxisOps.Product(plan.ADims.AsSpan(0, plan.ADims.Length - 2));
        int bBatch = AxisOps.Product(plan.BDims.AsSpan(0, plan.BDims.Length - 2));
        int outBatch = AxisOps.Product(plan.Batch);
        var q = new int[acc.Length];
        for (int i = 0; i < acc.Length; i++)
        {
            // Map the output element back to a's row and b's column to pick their scales.
            int batch = i / (m * n);
            int row = (i / n) % m;
            int col = i % n;
            int aElement = ((outBatch == aBatch ? batch : batch % aBatch) * m * k) + (row * k);
            int bElement = ((outBatch == bBatch ? batch : batch % bBatch) * k * n) + col;
            float multiplier = sa[aRow(aElement)] * sb[bCol(bElement)] / sy[0];
            q[i] = QuantMath.Quantize(acc[i] * multiplier, zy[0], min, max);
        }

        QuantMath.Store(context.Output(0, yZp.DataType, plan.OutputDims), q);
    }
}
