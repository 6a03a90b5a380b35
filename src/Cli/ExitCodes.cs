namespace OpenAutoGlm.Cli;

/// <summary>Process exit codes of <c>autoglm</c>; scripts depend on them.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The model could not be loaded or run (model, runtime or I/O error).</summary>
    public const int Failure = 1;

    /// <summary>The command line or a file it names is wrong (syntax, unknown input, dtype/shape mismatch, bad .npy).</summary>
    public const int Usage = 2;
}
