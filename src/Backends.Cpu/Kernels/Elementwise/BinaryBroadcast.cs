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
        ReadOnlySpan<int> b = bDims;
        var dims = Resolve(ctx, aDims, ref b, new int[Math.Max(aDims.Length, bDims.Length)]).ToArray();
        bDims = b.ToArray();
        return dims;
    }

    /// <summary>
    /// As <see cref="Resolve(KernelContext, ReadOnlySpan{int}, ref int[])"/> into <paramref name="dims"/> (at least
    /// max(rank A, rank B) long; kernels pass stack memory, so numpy broadcasting allocates nothing): returns the output
    /// dims, a prefix of <paramref name="dims"/>; legacy broadcasting points <paramref name="bDims"/> at B's aligned dims.
    /// </summary>
    public static ReadOnlySpan<int> Resolve(KernelContext ctx, ReadOnlySpan<int> aDims, ref ReadOnlySpan<int> bDims, Span<int> dims)
    {
        try
        {
            if (BroadcastSchema.UsesLegacyBroadcast(ctx.Node, ctx.Opset))
            {
                bDims = BroadcastSchema.AlignLegacy(ctx.Attributes, ctx.Opset, aDims, bDims);
                aDims.CopyTo(dims);
                return dims[..aDims.Length];
            }

            var output = dims[..Math.Max(aDims.Length, bDims.Length)];
            ShapeRules.Broadcast(aDims, bDims, output);
            return output;
        }
        catch (ShapeInferenceException ex)
        {
            throw ctx.Error(ex.Message);
        }
    }
}
