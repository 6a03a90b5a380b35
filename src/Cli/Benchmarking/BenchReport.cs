using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenAutoGlm.Cli.Rendering;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;
using Spectre.Console;

namespace OpenAutoGlm.Cli.Benchmarking;

/// <summary>Renders <c>autoglm bench</c> results: one JSON line per batch size, or Spectre tables.</summary>
internal static class BenchReport
{
    /// <summary>
    /// One line of JSON whose first keys are fixed (scripts read them): model, batch, threads, runs,
    /// median_ms, p90_ms, p99_ms, throughput_per_s, peak_memory_bytes; then mean_ms, min_ms, max_ms, warmup,
    /// timed_seconds, allocated_bytes_per_run, process_peak_working_set_bytes, session_create_ms.
    /// </summary>
    public static string JsonLine(BenchRequest request, InferenceSession session, int threads, BatchResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", request.ModelPath);
            w.WriteNumber("batch", r.Batch);
            w.WriteNumber("threads", threads);
            w.WriteNumber("runs", r.Latency.Runs);
            w.WriteNumber("median_ms", Round(r.Latency.P50Ms));
            w.WriteNumber("p90_ms", Round(r.Latency.P90Ms));
            w.WriteNumber("p99_ms", Round(r.Latency.P99Ms));
            w.WriteNumber("throughput_per_s", Round(r.ThroughputPerSecond));
            w.WriteNumber("peak_memory_bytes", r.PeakBytes);
            w.WriteNumber("arena_peak_bytes", r.ArenaPeakBytes);
            w.WriteNumber("mean_ms", Round(r.Latency.MeanMs));
            w.WriteNumber("min_ms", Round(r.Latency.MinMs));
            w.WriteNumber("max_ms", Round(r.Latency.MaxMs));
            w.WriteNumber("warmup", r.Warmup);
            w.WriteNumber("timed_seconds", r.TimedSeconds);
            w.WriteNumber("allocated_bytes_per_run", r.AllocatedBytesPerRun);
            w.WriteNumber("process_peak_working_set_bytes", ProcessPeakWorkingSet());
            w.WriteNumber("session_create_ms", Round(session.CreationTime.TotalMilliseconds));
            w.WriteString("level", request.Level switch { OptimizationLevel.None => "none", OptimizationLevel.Basic => "basic", OptimizationLevel.Extended => "extended", _ => "all" });
            w.WriteBoolean("cache_hit", session.CacheHit);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void WriteText(TextWriter stdout, BenchRequest request, InferenceSession session, int threads, IReadOnlyList<BatchResult> results)
    {
        var console = ConsoleFactory.Create(stdout);
        console.WriteLine($"Model: {request.ModelPath}");
        console.WriteLine($"Session: created in {Formatting.Milliseconds(session.CreationTime)}, {session.Model.Graph.Nodes.Count} nodes, {threads} intra-op thread{(threads == 1 ? string.Empty : "s")}, on {session.Options.Providers[0].Device.Name}");
        var first = results[0].Inputs;
        console.WriteLine("Inputs:");
        foreach (var (name, value) in first.Values)
        {
            string shape = value is Tensor t ? $"{t.DataType.Name()} {t.ShapeString}" : value.Type.ToString();
            console.WriteLine($"  {name}  {shape}  ({first.Origins[name]}){(results.Count > 1 ? " (batch dim varies)" : string.Empty)}");
        }

        console.WriteLine($"Runs: {results[0].Warmup} warm-up, then at least {request.Runs} timed{(request.DurationSeconds > 0 ? string.Create(CultureInfo.InvariantCulture, $" and {request.DurationSeconds:0.###} s") : string.Empty)} per batch size");
        console.WriteLine();

        var latency = new Table().Title("Latency (ms)").Border(TableBorder.Rounded);
        foreach (var column in new[] { "batch", "runs", "mean", "p50", "p90", "p99", "min", "max", "items/s", "peak tensors" })
        {
            latency.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var r in results)
        {
            var l = r.Latency;
            latency.AddRow(
                r.Batch.ToString(CultureInfo.InvariantCulture), l.Runs.ToString(CultureInfo.InvariantCulture),
                Ms(l.MeanMs), Ms(l.P50Ms), Ms(l.P90Ms), Ms(l.P99Ms), Ms(l.MinMs), Ms(l.MaxMs),
                r.ThroughputPerSecond.ToString("0.##", CultureInfo.InvariantCulture), Formatting.Bytes(r.PeakBytes));
        }

        console.Write(latency);
        console.WriteLine($"Peak memory: {Formatting.Bytes(results.Max(r => r.PeakBytes))} of live tensors allocated by the kernels (inputs and weights not counted); arena high-water mark {Formatting.Bytes(results.Max(r => r.ArenaPeakBytes))} (planner buffers reused after each value's last reader, kernel scratch included); process peak working set {Formatting.Bytes(ProcessPeakWorkingSet())}");

        var last = results[^1];
        if (last.Ops.Count > 0)
        {
            var ops = new Table().Title($"Time per op type (batch {last.Batch}, {last.Latency.Runs} timed runs)").Border(TableBorder.Rounded);
            ops.AddColumn("op");
            foreach (var column in new[] { "nodes", "total ms", "ms/run", "% of time" })
            {
                ops.AddColumn(new TableColumn(column).RightAligned());
            }

            foreach (var op in last.Ops)
            {
                ops.AddRow(
                    Markup.Escape(op.OpType),
                    op.NodesPerRun.ToString(CultureInfo.InvariantCulture),
                    Ms(op.Total.TotalMilliseconds),
                    Ms(op.Total.TotalMilliseconds / last.Latency.Runs),
                    (op.FractionOfNodeTime * 100).ToString("0.0", CultureInfo.InvariantCulture));
            }

            console.Write(ops);
        }
    }

    /// <summary>The process's peak resident set (VmHWM on Linux).</summary>
    public static long ProcessPeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static string Ms(double value) => value.ToString(value < 10 ? "0.###" : "0.##", CultureInfo.InvariantCulture);
}
