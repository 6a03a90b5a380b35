using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// MatMul: Y = A x B with numpy matmul semantics: 1-D A is [1, K] and 1-D B is [K, 1] (the added dim is
/// dropped from Y), leading batch dims broadcast (https://onnx.ai/onnx/operators/onnx__MatMul.html).
/// </summary>
internal sealed class MatMul : IKernel
{
    public void Compute(KernelContext ctx)
    {
        var a = ctx.Input(0);
        var b = ctx.Input(1);
        if (a.DataType != b.DataType)
        {
            throw ctx.Error($"A and B must have the same dtype, got {a.DataType.Name()} and {b.DataType.Name()}");
        }

        var plan = BatchedMatMul.Plan(ctx, a.Dims, b.Dims);
        var y = ctx.Output(0, a.DataType, plan.OutputDims);
        BatchedMatMul.Run(ctx, plan, a, b, y);
    }
}
