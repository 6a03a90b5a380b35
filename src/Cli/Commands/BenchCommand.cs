using System.CommandLine;
using OpenAutoGlm.Cli.Benchmarking;

namespace OpenAutoGlm.Cli.Commands;

/// <summary>
/// <c>autoglm bench MODEL [--input NAME=FILE]... [--batch N | --batch-sweep 1,2,4,8] [--threads N] [--runs N]
/// [--warmup N] [--duration S] [--seed N] [--profile trace.json] [--json]</c>.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Argument<string>("MODEL") { Description = "Path to an .onnx model file" };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "An input value NAME=FILE (.npy or ONNX .pb); repeatable. Inputs not given get seeded random data (symbolic dims 1, the leading one --batch)",
            HelpName = "NAME=FILE",
        };
        var batch = new Option<int?>("--batch", "-b")
        {
            Description = "Batch size: the leading symbolic dim of generated inputs (default 1); given files must agree with it",
            HelpName = "N",
        };
        var sweep = new Option<string?>("--batch-sweep")
        {
            Description = "Benchmark each batch size in turn, e.g. 1,2,4,8 (generated inputs only for batched inputs)",
            HelpName = "N,N,...",
        };
        var threads = new Option<int?>("--threads", "-t")
        {
            Description = "Intra-op threads of the session (SessionOptions.IntraOpThreads; default: all cores)",
            HelpName = "N",
        };
        var runs = new Option<int>("--runs", "-n")
        {
            Description = "Timed runs (at least this many)",
            DefaultValueFactory = _ => 10,
            HelpName = "N",
        };
        var warmup = new Option<int>("--warmup", "-w")
        {
            Description = "Untimed warm-up runs before the timed ones",
            DefaultValueFactory = _ => 3,
            HelpName = "N",
        };
        var duration = new Option<double>("--duration", "-d")
        {
            Description = "Keep running until the timed runs have also taken this many seconds",
            DefaultValueFactory = _ => 0,
            HelpName = "S",
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed for random inputs",
            DefaultValueFactory = _ => 0,
            HelpName = "N",
        };
        var profile = new Option<string?>("--profile")
        {
            Description = "Write every timed run's per-node timings as a Chrome trace-event JSON file (chrome://tracing, Perfetto)",
            HelpName = "FILE",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON line (model, batch, threads, runs, median_ms, p90_ms, p99_ms, throughput_per_s, peak_memory_bytes, ...) per batch size instead of tables",
        };
        var level = new Option<string>("--level")
        {
            Description = "Optimization level of the session: none, basic, extended or all",
            DefaultValueFactory = _ => "basic",
        };
        level.AcceptOnlyFromAmong("none", "basic", "extended", "all");
        var cacheDir = new Option<string?>("--cache-dir")
        {
            Description = "Cache the optimized model in DIR (keyed by model hash, level and providers) and reuse it: warm start",
            HelpName = "DIR",
        };
        var command = new Command("bench", "Measure a model's latency (mean, p50/p90/p99), throughput, peak tensor memory and time per op type on the CPU provider")
        {
            model,
            inputs,
            batch,
            sweep,
            threads,
            runs,
            warmup,
            duration,
            seed,
            profile,
            json,
            level,
            cacheDir,
        };
        command.SetAction(parse => BenchRunner.Run(
            BenchRequest.Create(
                parse.GetValue(model)!,
                parse.GetValue(inputs) ?? [],
                parse.GetValue(batch),
                parse.GetValue(sweep),
                parse.GetValue(threads),
                parse.GetValue(runs),
                parse.GetValue(warmup),
                parse.GetValue(duration),
                parse.GetValue(seed),
                parse.GetValue(profile),
                parse.GetValue(json)) with
            {
                Level = Optimize.OptimizeHandler.ParseLevel(parse.GetValue(level)!),
                CacheDirectory = parse.GetValue(cacheDir),
            },
            stdout,
            stderr));
        return command;
    }
}
