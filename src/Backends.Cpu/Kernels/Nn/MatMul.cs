using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Nn;

/// <summary>
/// MatMul: Y = A x B with numpy matmul semantics: 1-D A is [1, K] and 1-D B is [K, 1] (the added dim is
/// dropped from Y), leading batch dims broadcast (https://onnx.ai/onnx/operators/onnx__MatMul.html).
/// A constant 2-D float32 B (a weight) is packed for the GEMM once, when the kernel is created.
/// </summary>
internal sealed class MatMul : IKernel
{
    private readonly Tensor? _constantB;
    private readonly PackedGemmMatrix? _packedB;
    private BatchedMatMul? _plan;

    public MatMul(KernelCreationContext ctx)
    {
        if (ctx.ConstantInput(1) is Tensor<float> { Rank: 2 } b)
        {
            _packedB = PackedGemmMatrix.PackB(b.Span, b.Dims[1], false, b.Dims[0], b.Dims[1]);
            _constantB = b;
        }
    }

    public void Compute(KernelContext ctx)
    {
        var a = ctx.Input(0);
        var b = ctx.Input(1);
        if (a.DataType != b.DataType)
        {
            throw ctx.Error($"A and B must have the same dtype, got {a.DataType.Name()} and {b.DataType.Name()}");
        }

        var plan = BatchedMatMul.Plan(ctx, ref _plan, a.Dims, b.Dims);
        // The GEMM (beta 0) writes every element of Y.
        var y = ctx.OutputUninitialized(0, a.DataType, plan.OutputDims);
        BatchedMatMul.Run(ctx, plan, a, b, y, ReferenceEquals(b, _constantB) ? _packedB : null);
    }
}
