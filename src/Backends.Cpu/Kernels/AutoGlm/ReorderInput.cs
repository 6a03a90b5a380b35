using OpenAutoGlm.Backends.Cpu.Kernels.Nchwc;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm;

/// <summary>ai.autoglm ReorderInput: X [N, C, H, W] → Y [N, ceil(C/16), H, W, 16] (NCHWc), lanes beyond C zero.</summary>
internal sealed unsafe class ReorderInput : IKernel
{
    public void Compute(KernelContext ctx)
    {
        var x = ctx.Input(0);
        if (x.DataType != DataType.Float32 || x.Rank != 4)
        {
            throw ctx.Error($"X must be float32 [N, C, H, W], got {x.DataType.Name()}{x.ShapeString}");
        }

        int n = x.Dims[0], c = x.Dims[1], plane = x.Dims[2] * x.Dims[3];
        var y = ctx.OutputUninitialized(0, DataType.Float32, [n, NchwcLayout.Blocks(c), x.Dims[2], x.Dims[3], NchwcLayout.Block]);
        fixed (float* px = x.AsSpan<float>())
        fixed (float* py = y.AsSpan<float>())
        {
            NchwcLayout.ToBlocked(px, py, n, c, plane, ctx.IntraOpThreads);
        }
    }
}
