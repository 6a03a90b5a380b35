namespace OpenAutoGlm.Conformance.Tests;

/// <summary>The checked-in list of tests that must keep passing (tests/Conformance.Tests/expected-pass.txt).</summary>
internal static class ExpectedPass
{
    private static string SourcePath => Path.Combine(TestKit.RepoPaths.RepoRoot, "tests", "Conformance.Tests", "expected-pass.txt");

    public static HashSet<string> Load()
    {
        string path = File.Exists(SourcePath) ? SourcePath : Path.Combine(AppContext.BaseDirectory, "expected-pass.txt");
        return File.Exists(path)
            ? File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal)
            : [];
    }

    /// <summary>Adds newly passing tests; never removes one.</summary>
    public static void Add(IEnumerable<string> passing)
    {
        var all = Load();
        all.UnionWith(passing);
        File.WriteAllLines(SourcePath, all.Order(StringComparer.Ordinal));
    }
}
