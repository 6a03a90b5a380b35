using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;
using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm NchwcExpandDepthwise: a 1x1 convolution and the depthwise convolution that reads it (an inverted residual
/// block's expand and depthwise steps), computed together band of rows by band of rows
/// (<see cref="NchwcExpandDepthwiseDriver"/>). X [N, ceil(C/16), H, W, 16] blocked; W1 [E, C, 1, 1] and W2 [E, 1, K, K]
/// constant, B1 / B2 [E] constant (optional); Y [N, ceil(E/16), OH, OW, 16] =
/// activation(DepthwiseConv(expand_activation(Conv1x1(X, W1) + B1), W2) + B2). The depthwise's strides, pads and
/// kernel_shape are the node's; expand_activation / expand_activation_params and activation / activation_params as on
/// NchwcConv (docs/ops.md). K is 3 or 5, strides 1 or 2, dilations 1.
/// </summary>
internal sealed unsafe class NchwcExpandDepthwise : IKernel
{
    private readonly ConvGeometry _geometry;
    private readonly FusedActivation _expandActivation;
    private readonly FusedActivation _activation;
    private readonly int _c;
    private readonly int _e;
    private readonly int _k;
    private readonly NchwcWeights _expand;
    private readonly NchwcWeights _depthwise;

    public NchwcExpandDepthwise(KernelCreationContext ctx)
    {
        _geometry = ConvGeometry.Parse(ctx.Node);
        _expandActivation = FusedActivation.Parse(ctx, "expand_");
        _activation = FusedActivation.Parse(ctx);
        var w1 = ctx.ConstantInput(1) ?? throw ctx.Error("W1 (input 1) must be a constant initializer");
        var w2 = ctx.ConstantInput(3) ?? throw ctx.Error("W2 (input 3) must be a constant initializer");
        if (w1.DataType != DataType.Float32 || w1.Rank != 4 || w1.Dims[2] != 1 || w1.Dims[3] != 1)
        {
            throw ctx.Error($"W1 must be float32 [E, C, 1, 1], got {w1.DataType.Name()}{w1.ShapeString}");
        }

        _e = w1.Dims[0];
        _c = w1.Dims[1];
        if (w2.DataType != DataType.Float32 || w2.Rank != 4 || w2.Dims[0] != _e || w2.Dims[1] != 1 || w2.Dims[2] != w2.Dims[3] || w2.Dims[2] is not (3 or 5))
        {
            throw ctx.Error($"W2 must be float32 [{_e}, 1, K, K] with K 3 or 5, got {w2.DataType.Name()}{w2.ShapeString}");
        }

        _k = w2.Dims[2];
        var b1 = Bias(ctx, 2, "B1", _e);
        var b2 = Bias(ctx, 4, "B2", _e);
        if (_geometry.KernelShape is { } ks && (ks.Length != 2 || ks[0] != _k || ks[1] != _k))
        {
            throw ctx.Error($"kernel_shape [{string.Join(",", ks)}] does not match W2 {w2.ShapeString}");
        }

        if (_geometry.Dilations is { } d && d.Any(v => v != 1))
        {
            throw ctx.Error($"dilations must be 1, got [{string.Join(",", d)}]");
        }

        if (_geometry.Strides is { } s && (s.Length != 2 || s[0] != s[1] || s[0] is not (1 or 2)))
        {
            throw ctx.Error($"strides must be [1, 1] or [2, 2], got [{string.Join(",", s)}]");
        }

        _expand = NchwcWeights.Dense(w1.AsSpan<float>(), b1, _e, _c, 1, 1, blockedInput: true);
        _depthwise = NchwcWeights.Depthwise(w2.AsSpan<float>(), b2, _e, _k, _k);
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DataType != DataType.Float32 || x.Rank != 5 || x.Dims[1] != NchwcLayout.Blocks(_c) || x.Dims[4] != NchwcLayout.Block)
        {
            throw ctx.Error($"X must be float32 [N, {NchwcLayout.Blocks(_c)}, H, W, 16] (blocked, {_c} channels), got {x.DataType.Name()}{x.ShapeString}");
        }

        int n = x.Dims[0], h = x.Dims[2], w = x.Dims[3];
        var plan = ConvPlan.Forward(ctx, _geometry, [n, _e, h, w], [_k, _k], kernelRequired: false);
        var gd = new NchwcGeometry(
            n, _e, h, w, _e, plan.Output[0], plan.Output[1], _k, _k, plan.Strides[0], plan.Strides[1], 1, 1, plan.PadsBegin[0], plan.PadsBegin[1]);
        if (!NchwcExpandDepthwiseDriver.WindowsReadInput(gd))
        {
            throw ctx.Error($"pads [{string.Join(",", plan.PadsBegin.ToArray())}] leave output rows or columns that read no input of X {x.ShapeString} (each pad must be under the kernel size {_k})");
        }

        var ge = new NchwcGeometry(n, _c, h, w, _e, h, w, 1, 1, 1, 1, 1, 1, 0, 0);
        var y = ctx.OutputUninitialized(0, DataType.Float32, [n, NchwcLayout.Blocks(_e), gd.OH, gd.OW, NchwcLayout.Block]);
        var (expandClamp, expandPost) = _expandActivation.ForGemm();
        var (clamp, post) = _activation.ForGemm();
        fixed (float* px = x.AsSpan<float>())
        fixed (float* py = y.AsSpan<float>())
        {
            if (NchwcExpandDepthwiseDriver.Pays(gd, ctx.IntraOpThreads))
            {
                NchwcExpandDepthwiseDriver.Run(ge, _expand, expandClamp, expandPost, gd, _depthwise, clamp, post, px, py, ctx.IntraOpThreads);
                return;
            }

            // Small planes: the expanded tensor stays in cache between the two convolutions, which then split their
            // channels over the threads too (bands of rows alone would leave threads idle on a 14x14 plane).
            var expanded = ctx.RentScratch<float>(checked(n * NchwcLayout.Blocks(_e) * NchwcLayout.Block * h * w));
            fixed (float* pe = expanded.Span)
            {
                NchwcConvDriver.Run(ge, true, _expand, px, pe, null, null, expandClamp, expandPost, ctx.IntraOpThreads);
                NchwcDepthwise.Run(gd, _depthwise, pe, py, null, clamp, post, ctx.IntraOpThreads);
            }
        }
    }

    private static ReadOnlySpan<float> Bias(KernelCreationContext ctx, int input, string name, int e)
    {
        var b = ctx.ConstantInput(input);
        if (ctx.InputTypes.Count > input && ctx.InputTypes[input] is not null && b is null)
        {
            throw ctx.Error($"{name} (input {input}) must be a constant initializer");
        }

        if (b is not null && (b.DataType != DataType.Float32 || b.Rank != 1 || b.Dims[0] != e))
        {
            throw ctx.Error($"{name} must be float32 [{e}], got {b.DataType.Name()}{b.ShapeString}");
        }

        return b is null ? default : b.AsSpan<float>();
    }
}
