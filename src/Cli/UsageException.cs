using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli;

/// <summary>The command line asks for something impossible (bad --input syntax, unknown input name); exit code 2.</summary>
public sealed class UsageException : AutoGlmException
{
    public UsageException(string message)
        : base(message)
    {
    }
}
