using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Quantization;

/// <summary>MatMulInteger: y = (a - a_zero_point) @ (b - b_zero_point) in int32, numpy matmul semantics (https://onnx.ai/onnx/operators/onnx__MatMulInteger.html).</summary>
internal sealed class MatMulInteger : IKernel
{
    public void Compute(KernelContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        var aZp = context.OptionalInput(2);
        var bZp = context.OptionalInput(3);
        var plan = IntegerMatMul.Plan(context, a, b);
        var aRow = aZp is null ? null : IntegerMatMul.RowParameter(context, aZp.Length, plan.ADims, "a_zero_point");
        var bCol = bZp is null ? null : IntegerMatMul.ColumnParameter(context, bZp.Length, plan.BDims, "b_zero_point");
        int[] av = IntegerMatMul.Centered(context, a, aZp, aRow, "A");
        int[] bv = IntegerMatMul.Centered(context, b, bZp, bCol, "B");
        plan.Multiply(av, bv).CopyTo(context.Output<int>(0, plan.OutputDims).Span);
    }
}
