namespace OpenAutoGlm.Cli;

/// <summary>Builds and runs the autoglm command tree. Output goes to the given writers so tests can capture it.</summary>
public static class AutoGlmCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("autoglm: no commands yet");
        return 1;
    }
}
