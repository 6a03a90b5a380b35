using System.Globalization;
using OpenAutoGlm.Cli.Running;
using OpenAutoGlm.Optimizer;

namespace OpenAutoGlm.Cli.Benchmarking;

/// <summary>
/// A validated <c>autoglm bench</c> command line. <see cref="Batches"/> holds the batch sizes to measure in
/// order (one unless <c>--batch-sweep</c>); <see cref="BatchGiven"/> says whether the user chose them.
/// </summary>
internal sealed record BenchRequest(
    string ModelPath,
    IReadOnlyList<InputSpec> Inputs,
    IReadOnlyList<int> Batches,
    bool BatchGiven,
    int? Threads,
    int Runs,
    int Warmup,
    double DurationSeconds,
    int Seed,
    string? ProfilePath,
    bool Json)
{
    /// <summary>Optimization level of the session (<c>--level</c>, default basic).</summary>
    public OptimizationLevel Level { get; init; } = OptimizationLevel.Basic;

    /// <summary>Optimized-model cache folder (<c>--cache-dir</c>): warm start, see SessionOptions.OptimizedModelCacheDirectory.</summary>
    public string? CacheDirectory { get; init; }

    public static BenchRequest Create(
        string modelPath, IReadOnlyList<string> inputs, int? batch, string? sweep, int? threads,
        int runs, int warmup, double duration, int seed, string? profilePath, bool json)
    {
        if (runs < 1)
        {
            throw new UsageException($"--runs {runs}: at least one timed run is needed");
        }

        if (warmup < 0)
        {
            throw new UsageException($"--warmup {warmup}: must be 0 or more");
        }

        if (double.IsNaN(duration) || duration < 0)
        {
            throw new UsageException($"--duration {duration.ToString(CultureInfo.InvariantCulture)}: must be 0 or more seconds");
        }

        if (threads is < 1)
        {
            throw new UsageException($"--threads {threads}: must be at least 1");
        }

        if (batch is not null && sweep is not null)
        {
            throw new UsageException("--batch and --batch-sweep cannot be combined");
        }

        if (batch is < 1)
        {
            throw new UsageException($"--batch {batch}: must be at least 1");
        }

        if (profilePath is not null && string.IsNullOrWhiteSpace(profilePath))
        {
            throw new UsageException("--profile needs a file name");
        }

        var batches = sweep is null ? [batch ?? 1] : ParseSweep(sweep);
        return new BenchRequest(
            modelPath, inputs.Select(InputSpec.Parse).ToList(), batches, batch is not null || sweep is not null,
            threads, runs, warmup, duration, seed, profilePath, json);
    }

    private static int[] ParseSweep(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                throw new UsageException($"--batch-sweep '{text}': expected batch sizes of at least 1 separated by commas, e.g. 1,2,4,8");
            }
        }

        return sizes;
    }
}
