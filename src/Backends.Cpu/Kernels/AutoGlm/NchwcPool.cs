using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;
using OpenAutoGlm.Backends.Cpu.Kernels.Nn;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>
/// ai.autoglm NchwcPool (attribute pool_type = MaxPool, AveragePool, GlobalAveragePool or GlobalMaxPool): the ONNX pool
/// over a blocked X [N, ceil(C/16), H, W, 16], Y blocked. 2-D; the windowed pools take MaxPool's attributes
/// (kernel_shape, strides, pads, dilations, ceil_mode, auto_pad); AveragePool is only supported without padding
/// (count_include_pad has nothing to count then).
/// </summary>
internal sealed unsafe class NchwcPool : IKernel
{
    private readonly NchwcPoolKind _kind;
    private readonly ConvGeometry _geometry;

    public NchwcPool(KernelCreationContext ctx)
    {
        string pool = ctx.Attributes.GetString("pool_type", string.Empty);
        _kind = pool switch
        {
            "MaxPool" => NchwcPoolKind.Max,
            "AveragePool" => NchwcPoolKind.Average,
            "GlobalAveragePool" => NchwcPoolKind.GlobalAverage,
            "GlobalMaxPool" => NchwcPoolKind.GlobalMax,
            _ => throw ctx.Error($"pool_type must be MaxPool, AveragePool, GlobalAveragePool or GlobalMaxPool, got '{pool}'"),
        };
        _geometry = ConvGeometry.Parse(ctx.Node);
        if (_kind == NchwcPoolKind.Average && ((_geometry.Pads?.Any(p => p != 0) ?? false) || _geometry.CeilMode || _geometry.AutoPad is AutoPad.SameUpper or AutoPad.SameLower))
        {
            throw ctx.Error("an NCHWc AveragePool supports no padding (pads, ceil_mode and SAME auto_pad are not supported)");
        }

        if (ctx.Node.Outputs.Count > 1)
        {
            throw ctx.Error("an NCHWc MaxPool has no Indices output");
        }
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DataType != DataType.Float32 || x.Rank != 5 || x.Dims[4] != NchwcLayout.Block)
        {
            throw ctx.Error($"X must be float32 blocked [N, C/16, H, W, 16], got {x.DataType.Name()}{x.ShapeString}");
        }

        int n = x.Dims[0], blocks = x.Dims[1], c = blocks * NchwcLayout.Block;
        NchwcGeometry g;
        if (_kind is NchwcPoolKind.GlobalAverage or NchwcPoolKind.GlobalMax)
        {
            g = new NchwcGeometry(n, c, x.Dims[2], x.Dims[3], c, 1, 1, x.Dims[2], x.Dims[3], 1, 1, 1, 1, 0, 0);
        }
        else
        {
            var plan = ConvPlan.Forward(ctx, _geometry, [n, c, x.Dims[2], x.Dims[3]], default, kernelRequired: true);
            if (plan.Rank != 2)
            {
                throw ctx.Error($"an NCHWc pool is 2-D, got kernel_shape of rank {plan.Rank}");
            }

            g = new NchwcGeometry(
                n, c, x.Dims[2], x.Dims[3], c, plan.Output[0], plan.Output[1], plan.Kernel[0], plan.Kernel[1], plan.Strides[0], plan.Strides[1],
                plan.Dilations[0], plan.Dilations[1], plan.PadsBegin[0], plan.PadsBegin[1]);
        }

        var y = ctx.OutputUninitialized(0, DataType.Float32, [n, blocks, g.OH, g.OW, NchwcLayout.Block]);
        fixed (float* px = x.AsSpan<float>())
        fixed (float* py = y.AsSpan<float>())
        {
            NchwcPooling.Run(_kind, g, px, py, ctx.IntraOpThreads);
        }
    }
}
