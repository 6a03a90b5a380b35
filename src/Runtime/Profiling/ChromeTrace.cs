using System.Diagnostics;
using System.Text.Json;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// Writes profiled runs in the Chrome trace-event format (chrome://tracing, Perfetto, speedscope):
/// <c>{"traceEvents":[{"name","cat","ph":"X","ts","dur","pid","tid","args"}]}</c> with one complete ("X")
/// event per run (cat "run") and per node (cat "node", args op_type/provider/run/depth). ts and dur are in
/// microseconds from <see cref="SessionProfiler.EpochTimestamp"/>.
/// </summary>
public static class ChromeTrace
{
    public static void Write(Stream stream, IEnumerable<RunProfile> runs, long epochTimestamp)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(runs);
        int pid = Environment.ProcessId;
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteStartArray("traceEvents");
        foreach (var run in runs)
        {
            int tid = run.Nodes.Count > 0 ? run.Nodes[0].ThreadId : Environment.CurrentManagedThreadId;
            w.WriteStartObject();
            w.WriteString("name", $"run {run.Index}");
            w.WriteString("cat", "run");
            w.WriteString("ph", "X");
            w.WriteNumber("ts", Microseconds(run.StartTimestamp - epochTimestamp));
            w.WriteNumber("dur", Microseconds(run.ElapsedTicks));
            w.WriteNumber("pid", pid);
            w.WriteNumber("tid", tid);
            w.WriteStartObject("args");
            w.WriteNumber("peak_bytes", run.PeakBytes);
            w.WriteNumber("allocated_bytes", run.AllocatedBytes);
            w.WriteEndObject();
            w.WriteEndObject();

            foreach (var n in run.Nodes)
            {
                w.WriteStartObject();
                w.WriteString("name", n.NodeName);
                w.WriteString("cat", "node");
                w.WriteString("ph", "X");
                w.WriteNumber("ts", Microseconds(n.StartTimestamp - epochTimestamp));
                w.WriteNumber("dur", Microseconds(n.ElapsedTicks));
                w.WriteNumber("pid", pid);
                w.WriteNumber("tid", n.ThreadId);
                w.WriteStartObject("args");
                w.WriteString("op_type", n.OpType);
                w.WriteString("provider", n.Provider);
                w.WriteNumber("run", run.Index);
                w.WriteNumber("depth", n.Depth);
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Stopwatch ticks to microseconds, rounded to 0.001 µs.</summary>
    private static double Microseconds(long ticks) => Math.Round(ticks * 1e6 / Stopwatch.Frequency, 3);
}
