using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>Shared driver for broadcasting bool ops (And, Or, Xor); legacy broadcast attributes before opset 7.</summary>
internal static class Logical
{
    public static void Compute<TOp>(KernelContext ctx)
        where TOp : struct, IBinaryOperator<bool, bool>
    {
        var a = ctx.Input(0);
        var b = ctx.Input(1);
        if (a.DataType != DataType.Bool || b.DataType != DataType.Bool)
        {
            throw ctx.Error($"inputs must be bool, got {a.DataType.Name()} and {b.DataType.Name()}");
        }

        var bDims = b.DimsArray();
        var dims = BinaryBroadcast.Resolve(ctx, a.Dims, ref bDims);
        var c = ctx.Output(0, DataType.Bool, dims);
        BroadcastDriver.Run<bool, bool, TOp>(a.AsSpan<bool>(), a.Dims, b.AsSpan<bool>(), bDims, c.AsSpan<bool>(), dims);
    }
}
