namespace OpenAutoGlm.Backends.Cpu.Kernels.Reduction;

/// <summary>
/// How a reduction walks its input. Adjacent dims with the same role (kept or reduced) are merged; when a single
/// reduced block remains the input is [Outer, Reduced, Inner] and kernels take contiguous fast paths (Inner == 1:
/// each output reduces one contiguous row; Inner &gt; 1: rows of Inner outputs accumulate elementwise). Otherwise
/// <see cref="KeptOffsets"/> and <see cref="ReducedOffsets"/> give the gather: output o reduces
/// x[KeptOffsets[o] + ReducedOffsets[r]] for every r.
/// </summary>
internal sealed class ReducePlan
{
    private ReducePlan(int outputCount, int reducedCount, int outer, int inner, int[]? keptOffsets, int[]? reducedOffsets)
    {
        OutputCount = outputCount;
        ReducedCount = reducedCount;
        Outer = outer;
        Inner = inner;
        KeptOffsets = keptOffsets;
        ReducedOffsets = reducedOffsets;
    }

    public int OutputCount { get; }

    /// <summary>Elements folded into each output.</summary>
    public int ReducedCount { get; }

    /// <summary>True when the input is [Outer, ReducedCount, Inner] (one reduced block).</summary>
    public bool IsBlock => KeptOffsets is null;

    public int Outer { get; }

    public int Inner { get; }

    public int[]? KeptOffsets { get; }

    public int[]? ReducedOffsets { get; }

    /// <summary>Plans a reduction of <paramref name="dims"/> over the axes flagged in <paramref name="reduced"/>.</summary>
    public static ReducePlan Create(ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced)
    {
        // Merge runs of dims with the same role, dropping size-1 dims (they do not move offsets).
        var sizes = new List<int>();
        var roles = new List<bool>();
        int outputCount = 1;
        int reducedCount = 1;
        for (int d = 0; d < dims.Length; d++)
        {
            if (reduced[d])
            {
                reducedCount *= dims[d];
            }
            else
            {
                outputCount *= dims[d];
            }

            if (dims[d] == 1)
            {
                continue;
            }

            if (roles.Count > 0 && roles[^1] == reduced[d])
            {
                sizes[^1] *= dims[d];
            }
            else
            {
                sizes.Add(dims[d]);
                roles.Add(reduced[d]);
            }
        }

        int blocks = roles.Count(r => r);
        if (blocks <= 1)
        {
            int at = roles.IndexOf(true);
            int outer = 1, inner = 1;
            for (int i = 0; i < sizes.Count; i++)
            {
                if (at < 0 || i < at)
                {
                    outer *= sizes[i];
                }
                else if (i > at)
                {
                    inner *= sizes[i];
                }
            }

            return new ReducePlan(outputCount, reducedCount, outer, inner, null, null);
        }

        var strides = new int[sizes.Count];
        int s = 1;
        for (int i = sizes.Count - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= sizes[i];
        }

        return new ReducePlan(outputCount, reducedCount, 0, 0, Offsets(sizes, roles, strides, false, outputCount), Offsets(sizes, roles, strides, true, reducedCount));
    }

    private static int[] Offsets(List<int> sizes, List<bool> roles, int[] strides, bool role, int count)
    {
        var result = new int[count];
        var idx = new int[sizes.Count];
        for (int o = 0; o < count; o++)
        {
            int off = 0;
            for (int i = 0; i < sizes.Count; i++)
            {
                off += idx[i] * strides[i];
            }

            result[o] = off;
            for (int i = sizes.Count - 1; i >= 0; i--)
            {
                if (roles[i] != role)
                {
                    continue;
                }

                if (++idx[i] < sizes[i])
                {
                    break;
                }

                idx[i] = 0;
            }
        }

        return result;
    }
}
