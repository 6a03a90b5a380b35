using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm FusedGemm: Y = activation(alpha * A' * B' + beta * C) with Gemm's inputs and attributes plus
/// activation / activation_params (docs/ops.md). The product is Gemm's own code path; the activation is the epilogue.
/// </summary>
internal sealed class FusedGemm : IKernel
{
    private readonly Nn.Gemm _gemm;
    private readonly FusedActivation _activation;

    public FusedGemm(KernelCreationContext ctx)
    {
        _gemm = new Nn.Gemm(ctx);
        _activation = FusedActivation.Parse(ctx);
    }

    public void Compute(KernelContext ctx)
    {
        var a = ctx.Input(0);
        if (a.DataType != DataType.Float32)
        {
            throw ctx.Error($"FusedGemm computes float32 only, got A {a.DataType.Name()}");
        }

        FusedMatMul.ApplyActivation(_activation, _gemm.Run(ctx).AsSpan<float>(), ctx.IntraOpThreads);
    }
}
