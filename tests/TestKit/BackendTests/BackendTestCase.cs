namespace OpenAutoGlm.TestKit.BackendTests;

/// <summary>One ONNX backend test folder: model.onnx plus test_data_set_N/{input,output}_K.pb.</summary>
public sealed record BackendTestCase(string Suite, string Name, string Directory)
{
    public string Id => $"{Suite}/{Name}";

    public string ModelPath => Path.Combine(Directory, "model.onnx");

    public IEnumerable<string> DataSets() =>
        System.IO.Directory.EnumerateDirectories(Directory, "test_data_set_*").Order(StringComparer.Ordinal);

    /// <summary>Every test folder under <paramref name="root"/>/<paramref name="suite"/> that has a model.</summary>
    public static IReadOnlyList<BackendTestCase> Discover(string root, string suite)
    {
        string dir = Path.Combine(root, suite);
        if (!System.IO.Directory.Exists(dir))
        {
            return [];
        }

        return System.IO.Directory.EnumerateDirectories(dir)
            .Where(d => File.Exists(Path.Combine(d, "model.onnx")))
            .Order(StringComparer.Ordinal)
            .Select(d => new BackendTestCase(suite, Path.GetFileName(d), d))
            .ToList();
    }
}

public enum BackendTestStatus
{
    Pass,
    Fail,
    Error,
    Unsupported,
}

public sealed record BackendTestResult(BackendTestCase Case, BackendTestStatus Status, string Reason, TimeSpan Elapsed);
