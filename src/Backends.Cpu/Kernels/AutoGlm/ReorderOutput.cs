using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>ai.autoglm ReorderOutput (attribute channels = C): X [N, ceil(C/16), H, W, 16] → Y [N, C, H, W].</summary>
internal sealed unsafe class ReorderOutput : IKernel
{
    private readonly int _channels;

    public ReorderOutput(KernelCreationContext ctx)
    {
        long channels = ctx.Attributes.GetInt("channels", 0);
        if (channels <= 0 || channels > int.MaxValue)
        {
            throw ctx.Error($"attribute channels must be a positive int32, got {channels}");
        }

        _channels = (int)channels;
    }

    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DataType != DataType.Float32 || x.Rank != 5 || x.Dims[4] != NchwcLayout.Block || x.Dims[1] != NchwcLayout.Blocks(_channels))
        {
            throw ctx.Error($"X must be float32 [N, {NchwcLayout.Blocks(_channels)}, H, W, 16] for channels = {_channels}, got {x.DataType.Name()}{x.ShapeString}");
        }

        int n = x.Dims[0], plane = x.Dims[2] * x.Dims[3];
        var y = ctx.OutputUninitialized(0, DataType.Float32, [n, _channels, x.Dims[2], x.Dims[3]]);
        fixed (float* px = x.AsSpan<float>())
        fixed (float* py = y.AsSpan<float>())
        {
            NchwcLayout.ToNchw(px, py, n, _channels, plane, ctx.IntraOpThreads);
        }
    }
}
