using System.Diagnostics;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// Per-node timings of a session's runs, collected while <see cref="IsEnabled"/> (initially
/// <see cref="SessionOptions.EnableProfiling"/>). Disabled, a run records nothing and allocates nothing for
/// profiling. Thread-safe: concurrent runs append whole <see cref="RunProfile"/>s under a lock.
/// </summary>
public sealed class SessionProfiler
{
    private readonly Lock _lock = new();
    private readonly List<RunProfile> _runs = [];
    private int _nextIndex;

    internal SessionProfiler(bool enabled)
    {
        IsEnabled = enabled;
        EpochTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Whether runs started from now on are recorded.</summary>
    public bool IsEnabled { get; set; }

    /// <summary>Stopwatch timestamp of the session's creation: time zero of <see cref="ChromeTrace"/> output.</summary>
    public long EpochTimestamp { get; }

    /// <summary>A snapshot of the recorded runs in completion order.</summary>
    public IReadOnlyList<RunProfile> Runs
    {
        get
        {
            lock (_lock)
            {
                return _runs.ToArray();
            }
        }
    }

    /// <summary>Removes and returns the recorded runs (for long benchmarks that report in batches).</summary>
    public IReadOnlyList<RunProfile> Drain()
    {
        lock (_lock)
        {
            var runs = _runs.ToArray();
            _runs.Clear();
            return runs;
        }
    }

    internal void Add(long startTimestamp, long elapsedTicks, RunStatistics stats, List<NodeTiming> nodes)
    {
        lock (_lock)
        {
            _runs.Add(new RunProfile(_nextIndex++, startTimestamp, elapsedTicks, stats.PeakBytes, stats.AllocatedBytes, nodes.ToArray()));
        }
    }
}
