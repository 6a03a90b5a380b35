namespace OpenAutoGlm.TestKit;

/// <summary>Locations tests need: the repo root, artifacts, the ONNX test data and the zoo cache.</summary>
public static class RepoPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Artifacts => Path.Combine(RepoRoot, "artifacts");

    /// <summary>libonnx-testdata root (AUTOGLM_ONNX_TESTDATA overrides).</summary>
    public static string OnnxTestData =>
        Environment.GetEnvironmentVariable("AUTOGLM_ONNX_TESTDATA") is { Length: > 0 } p ? p : "/usr/share/libonnx-testdata/data";

    /// <summary>The zoo cache built by ../shared/zoo/build_zoo.sh (ZOO_DIR overrides; default ../zoo-cache beside the repo).</summary>
    public static string ZooCache =>
        Environment.GetEnvironmentVariable("ZOO_DIR") is { Length: > 0 } p ? p : Path.GetFullPath(Path.Combine(RepoRoot, "..", "zoo-cache"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenAutoGlm.slnx")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
