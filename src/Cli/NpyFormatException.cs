using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli;

/// <summary>A .npy file is malformed or uses a layout we do not read; the message names the file and the problem.</summary>
public sealed class NpyFormatException : AutoGlmException
{
    public NpyFormatException(string message)
        : base(message)
    {
    }

    public NpyFormatException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
