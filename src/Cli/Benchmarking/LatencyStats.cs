namespace OpenAutoGlm.Cli.Benchmarking;

/// <summary>
/// Summary of timed runs in milliseconds. Percentiles use the nearest-rank method (the smallest sample with
/// at least p% of the samples at or below it), like the ONNX Runtime script in benchmarks/, so both sides of a
/// comparison report the same statistic.
/// </summary>
internal sealed record LatencyStats(int Runs, double MeanMs, double MinMs, double MaxMs, double P50Ms, double P90Ms, double P99Ms)
{
    public static LatencyStats From(IReadOnlyList<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(milliseconds));
        }

        var sorted = milliseconds.Order().ToArray();
        return new LatencyStats(
            sorted.Length, sorted.Average(), sorted[0], sorted[^1],
            Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99));
    }

    /// <summary>Nearest rank: sorted[ceil(p/100 * n) - 1].</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        int i = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(i, 0, sorted.Count - 1)];
    }
}
