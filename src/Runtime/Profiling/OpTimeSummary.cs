using System.Diagnostics;

namespace OpenAutoGlm.Runtime;

/// <summary>Time spent in one op type over a set of runs (main-graph nodes only, so nested bodies are not counted twice).</summary>
public sealed record OpTimeSummary(string OpType, int NodesPerRun, long Calls, TimeSpan Total, double FractionOfNodeTime)
{
    /// <summary>
    /// Groups the depth-0 node timings of <paramref name="runs"/> by op type, largest total first.
    /// <see cref="FractionOfNodeTime"/> is the op type's share of the summed node time; <see cref="NodesPerRun"/>
    /// is the number of calls divided by the number of runs.
    /// </summary>
    public static IReadOnlyList<OpTimeSummary> ByOpType(IReadOnlyCollection<RunProfile> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var ticks = new Dictionary<string, (long Calls, long Ticks)>(StringComparer.Ordinal);
        long all = 0;
        foreach (var run in runs)
        {
            foreach (var n in run.Nodes)
            {
                if (n.Depth != 0)
                {
                    continue;
                }

                ticks.TryGetValue(n.OpType, out var acc);
                ticks[n.OpType] = (acc.Calls + 1, acc.Ticks + n.ElapsedTicks);
                all += n.ElapsedTicks;
            }
        }

        int runCount = Math.Max(1, runs.Count);
        return ticks
            .Select(kv => new OpTimeSummary(
                kv.Key,
                (int)(kv.Value.Calls / runCount),
                kv.Value.Calls,
                TimeSpan.FromTicks(kv.Value.Ticks * TimeSpan.TicksPerSecond / Stopwatch.Frequency),
                all == 0 ? 0 : (double)kv.Value.Ticks / all))
            .OrderByDescending(s => s.Total)
            .ThenBy(s => s.OpType, StringComparer.Ordinal)
            .ToList();
    }
}
