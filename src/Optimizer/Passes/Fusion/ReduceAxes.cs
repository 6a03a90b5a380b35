using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer.Passes.Fusion;

/// <summary>Reading the reduced axes of ReduceMean in its attribute (opset &lt; 18) and input (opset 18+) forms.</summary>
internal static class ReduceAxes
{
    /// <summary>
    /// The first normalized axis (negative, counted from the end) when <paramref name="reduce"/> is a ReduceMean over
    /// trailing contiguous axes with keepdims = 1 of an input of rank <paramref name="rank"/> (0 when unknown:
    /// then only negative axes are accepted); null otherwise.
    /// </summary>
    public static int? TrailingAxis(FusionGraph g, Node reduce, int rank)
    {
        if (reduce.Attributes.GetInt("keepdims", 1) != 1 || reduce.Attributes.GetInt("noop_with_empty_axes", 0) != 0)
        {
            return null;
        }

        long[]? axes = reduce.Attributes.GetInts("axes");
        if (axes is null && reduce.HasInput(1))
        {
            axes = g.Constant(reduce.Inputs[1])?.ToInt64Array();
        }

        if (axes is null || axes.Length == 0)
        {
            return null;
        }

        var normalized = new List<long>();
        foreach (long a in axes)
        {
            if (a < 0)
            {
                normalized.Add(a);
            }
            else if (rank > 0)
            {
                normalized.Add(a - rank);
            }
            else
            {
                return null;
            }
        }

        normalized.Sort();
        for (int i = 0; i < normalized.Count; i++)
        {
            if (normalized[i] != -normalized.Count + i)
            {
                return null;
            }
        }

        return -normalized.Count;
    }

    public static int RankOf(FusionGraph g, string value) => g.ShapeOf(value)?.Rank ?? 0;

    /// <summary>Whether two ReduceMeans reduce the same axes (the same trailing-axis count).</summary>
    public static bool Same(int? a, int? b) => a is not null && a == b;
}
