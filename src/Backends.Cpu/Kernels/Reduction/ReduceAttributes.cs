using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>
/// keepdims, noop_with_empty_axes and the axes of a Reduce* node: an attribute before the opset where the op
/// takes axes as input 1 (13 for ReduceSum, 18 for the others), the optional input from then on.
/// </summary>
internal sealed class ReduceAttributes
{
    private readonly long[]? _axesAttribute;
    private readonly bool _axesFromInput;

    public ReduceAttributes(KernelCreationContext ctx)
    {
        KeepDims = ctx.Attributes.GetInt("keepdims", 1) != 0;
        NoopWithEmptyAxes = ctx.Attributes.GetInt("noop_with_empty_axes", 0) != 0;
        _axesFromInput = ctx.Opset >= ReduceSchema.AxesInputSince(ctx.Node.OpType);
        _axesAttribute = _axesFromInput ? null : ctx.Attributes.GetInts("axes");
    }

    public bool KeepDims { get; }

    public bool NoopWithEmptyAxes { get; }

    /// <summary>
    /// Flags the reduced axes of a rank-<paramref name="rank"/> input. Empty or absent axes reduce everything, or
    /// nothing with noop_with_empty_axes (each element is then reduced over itself).
    /// </summary>
    public bool[] ResolveAxes(KernelContext ctx, int rank)
    {
        long[]? axes = _axesFromInput ? ctx.OptionalInput(1)?.ToInt64Array() : _axesAttribute;
        var reduced = new bool[rank];
        if (axes is null || axes.Length == 0)
        {
            if (!NoopWithEmptyAxes)
            {
                Array.Fill(reduced, true);
            }

            return reduced;
        }

        foreach (long a in axes)
        {
            if (a < -rank || a >= rank)
            {
                throw ctx.Error($"axis {a} is out of range for rank {rank}");
            }

            reduced[a < 0 ? a + rank : a] = true;
        }

        return reduced;
    }

    public int[] OutputDims(ReadOnlySpan<int> dims, bool[] reduced)
    {
        var result = new List<int>(dims.Length);
        for (int d = 0; d < dims.Length; d++)
        {
            if (!reduced[d])
            {
                result.Add(dims[d]);
            }
            else if (KeepDims)
            {
                result.Add(1);
            }
        }

        return [.. result];
    }
}
