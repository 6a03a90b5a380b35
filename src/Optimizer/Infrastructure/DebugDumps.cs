namespace OpenAutoGlm.Optimizer;

/// <summary>
/// Graph dumps for debugging the optimizer: with <c>AUTOGLM_DEBUG</c> set to anything but empty or <c>0</c>,
/// each pass that changed the graph writes <c>NN-pass.before.txt</c> and <c>NN-pass.after.txt</c>
/// (<see cref="GraphText.Format"/>) into <c>AUTOGLM_DEBUG_DIR</c> (default <c>artifacts/debug</c> under the
/// current directory), in a subfolder per optimizer run.
/// </summary>
public sealed class DebugDumps
{
    private static int s_run;

    private DebugDumps(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public static bool Enabled => Environment.GetEnvironmentVariable("AUTOGLM_DEBUG") is { Length: > 0 } v && v != "0";

    /// <summary>A dump folder for one optimizer run, or null when dumps are off.</summary>
    public static DebugDumps? FromEnvironment()
    {
        if (!Enabled)
        {
            return null;
        }

        string root = Environment.GetEnvironmentVariable("AUTOGLM_DEBUG_DIR") is { Length: > 0 } d ? d : Path.Combine("artifacts", "debug");
        string folder = Path.GetFullPath(Path.Combine(root, $"optimizer-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Interlocked.Increment(ref s_run):D3}"));
        return new DebugDumps(folder);
    }

    public void Write(int step, string pass, string before, string after)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string stem = Path.Combine(Directory, $"{step:D2}-{pass}");
        File.WriteAllText(stem + ".before.txt", before);
        File.WriteAllText(stem + ".after.txt", after);
    }
}
