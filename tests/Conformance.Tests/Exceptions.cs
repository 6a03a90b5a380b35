namespace OpenAutoGlm.Conformance.Tests;

/// <summary>
/// Documented per-test tolerance exceptions (default rtol 1e-3, atol 1e-5). Each entry says why; see
/// docs/conformance.md.
/// </summary>
internal static class Exceptions
{
    public static IReadOnlyDictionary<string, (double Rtol, double Atol)> Tolerances { get; } = new Dictionary<string, (double, double)>(StringComparer.Ordinal)
    {
    };
}
