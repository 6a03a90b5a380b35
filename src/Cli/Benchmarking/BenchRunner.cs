using System.Diagnostics;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Cli.Running;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Runtime;
using Spectre.Console;

namespace OpenAutoGlm.Cli.Benchmarking;

/// <summary>What one batch size measured.</summary>
internal sealed record BatchResult(
    int Batch,
    BenchInputs Inputs,
    int Warmup,
    LatencyStats Latency,
    double TimedSeconds,
    double ThroughputPerSecond,
    long PeakBytes,
    long ArenaPeakBytes,
    long AllocatedBytesPerRun,
    IReadOnlyList<OpTimeSummary> Ops);

/// <summary>
/// Runs <c>autoglm bench</c>: one CPU session; per batch size warm-up runs, then timed runs until both
/// <c>--runs</c> and <c>--duration</c> are reached. Node timings are recorded only during timed runs and
/// only when they are shown (text mode) or written (<c>--profile</c>), so <c>--json</c> alone measures the
/// session with profiling off.
/// </summary>
internal static class BenchRunner
{
    public static int Run(BenchRequest request, TextWriter stdout, TextWriter stderr)
    {
        var options = new SessionOptions
        {
            Providers = [new CpuExecutionProvider()],
            IntraOpThreads = request.Threads ?? 0,
            OptimizationLevel = request.Level,
            OptimizedModelCacheDirectory = request.CacheDirectory,
            ModelSerializer = OnnxModelSerializer.Instance,
        };

        // From the file, a warm start (--cache-dir hit) never reads the original model.
        var session = request.CacheDirectory is null
            ? InferenceSession.Create(OnnxModelLoader.Load(request.ModelPath), options)
            : InferenceSession.Create(request.ModelPath, options);
        int threads = request.Threads ?? Environment.ProcessorCount;
        var given = InputLoader.Load(request.Inputs, session.Inputs.Concat(session.OverridableInitializers).ToList());
        bool profiling = !request.Json || request.ProfilePath is not null;
        bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && !request.Json;

        var results = new List<BatchResult>();
        var profiles = new List<RunProfile>();
        foreach (int batch in request.Batches)
        {
            var inputs = BenchInputs.Build(session, given, batch, request.BatchGiven, request.Seed);
            var result = Measure(session, inputs, request, profiling, terminal ? stdout : null, profiles);
            results.Add(result);
            if (request.Json)
            {
                stdout.WriteLine(BenchReport.JsonLine(request, session, threads, result));
            }
        }

        if (request.ProfilePath is { } path)
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }

            using var file = File.Create(path);
            ChromeTrace.Write(file, profiles, session.Profiler.EpochTimestamp);
        }

        if (!request.Json)
        {
            BenchReport.WriteText(stdout, request, session, threads, results);
            if (request.ProfilePath is not null)
            {
                stdout.WriteLine($"Trace: {profiles.Count} runs, {profiles.Sum(p => p.Nodes.Count)} node events written to {request.ProfilePath}");
            }
        }

        return ExitCodes.Success;
    }

    private static BatchResult Measure(InferenceSession session, BenchInputs inputs, BenchRequest request, bool profiling, TextWriter? progressOut, List<RunProfile> profiles)
    {
        // Runs go through an IoBinding, as a serving loop would: the outputs are kept by the binding and overwritten
        // by each run, so a steady-state run allocates nothing. Through Run(dictionary) each run hands the caller new
        // output arrays: GPT-2's decode step returns 9.4 MB of KV cache, which the GC left uncollected on the large
        // object heap for dozens of runs while the run time grew from 13 to 29-35 ms (docs/performance.md).
        var binding = session.CreateBinding();
        foreach (var (name, value) in inputs.Values)
        {
            binding.BindInput(name, value);
        }

        var stats = new RunStatistics();
        long peak = 0;
        long arenaPeak = 0;
        long allocated = 0;
        for (int i = 0; i < request.Warmup; i++)
        {
            session.Run(binding, stats);
            peak = Math.Max(peak, stats.PeakBytes);
            arenaPeak = Math.Max(arenaPeak, stats.ArenaPeakBytes);
        }

        var times = new List<double>(request.Runs);
        session.Profiler.IsEnabled = profiling;
        long start = Stopwatch.GetTimestamp();
        void TimedRun()
        {
            long t0 = Stopwatch.GetTimestamp();
            session.Run(binding, stats);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            peak = Math.Max(peak, stats.PeakBytes);
            arenaPeak = Math.Max(arenaPeak, stats.ArenaPeakBytes);
            allocated = stats.AllocatedBytes;
        }

        bool Done() => times.Count >= request.Runs && Stopwatch.GetElapsedTime(start).TotalSeconds >= request.DurationSeconds;

        try
        {
            if (progressOut is null)
            {
                while (!Done())
                {
                    TimedRun();
                }
            }
            else
            {
                RunWithProgress(progressOut, inputs.Batch, request, start, TimedRun, Done, () => times.Count);
            }
        }
        finally
        {
            session.Profiler.IsEnabled = false;
        }

        double timed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var runs = session.Profiler.Drain();
        profiles.AddRange(runs);
        var latency = LatencyStats.From(times);
        return new BatchResult(
            inputs.Batch, inputs, request.Warmup, latency, timed, inputs.Batch * times.Count / timed,
            peak, arenaPeak, allocated, profiling ? OpTimeSummary.ByOpType(runs) : []);
    }

    /// <summary>A progress bar (terminal only): the larger of the shares of runs and duration still to go.</summary>
    private static void RunWithProgress(TextWriter stdout, int batch, BenchRequest request, long start, Action timedRun, Func<bool> done, Func<int> count)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"batch {batch}", maxValue: 1.0);
                while (!done())
                {
                    timedRun();
                    double byRuns = Math.Min(1, (double)count() / request.Runs);
                    double byTime = request.DurationSeconds > 0 ? Math.Min(1, Stopwatch.GetElapsedTime(start).TotalSeconds / request.DurationSeconds) : 1;
                    task.Value = Math.Min(byRuns, byTime);
                }

                task.Value = 1;
            });
    }
}
