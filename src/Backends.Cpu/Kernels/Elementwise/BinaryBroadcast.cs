using OpenAutoGlm.Backends.Cpu.Simd;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Elementwise;

/// <summary>
/// Output dims of a binary elementwise op: numpy broadcasting from opset 7, the legacy <c>broadcast</c>/<c>axis</c>
/// rules before (see <see cref="BroadcastSchema"/>). The returned B dims are B's dims aligned to A's rank, so the
/// numpy broadcast driver then computes the legacy result.
/// </summary>
internal static class BinaryBroadcast
{
    public static int[] Resolve(KernelContext ctx, ReadOnlySpan<int> aDims, ref int[] bDims)
    {
        try
        {
            if (BroadcastSchema.UsesLegacyBroadcast(ctx.Node, ctx.Opset))
            {
                bDims = BroadcastSchema.AlignLegacy(ctx.Attributes, ctx.Opset, aDims, bDims);
                return aDims.ToArray();
            }

            return BroadcastDriver.OutputDims(aDims, bDims);
        }
        catch (ShapeInferenceException ex)
        {
            throw ctx.Error(ex.Message);
        }
    }
}
