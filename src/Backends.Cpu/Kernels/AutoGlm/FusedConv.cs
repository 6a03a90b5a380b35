using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm FusedConv: Y = activation(Conv(X, W) + B + Z). Inputs X, W, B (optional, [M]), Z (optional residual,
/// Y's shape); Conv's attributes plus activation / activation_params (docs/ops.md). The convolution is Conv's own
/// code path; bias, residual and activation are the epilogue.
/// </summary>
internal sealed class FusedConv : IKernel
{
    private readonly ConvGeometry _geometry;
    private readonly int _group;
    private readonly FusedActivation _activation;
    private readonly Nn.ConvFloat.PackedWeights? _packedW;

    public FusedConv(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
        _group = checked((int)ctx.Attributes.GetInt("group", 1));
        _activation = FusedActivation.Parse(ctx);
        _packedW = Nn.ConvFloat.PackedWeights.For(ctx.ConstantInput(1), _group);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DataType != DataType.Float32)
        {
            throw ctx.Error($"FusedConv computes float32 only, got X {x.DataType.Name()}");
        }

        var (clamp, post) = _activation.ForGemm();
        Nn.Conv.Run(ctx, _geometry, _group, x, ctx.Input(1), ctx.OptionalInput(2), _packedW, ctx.OptionalInput(3), clamp, post);
    }
}
