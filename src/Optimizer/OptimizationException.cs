using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer;

/// <summary>A pass failed (strict mode), naming the pass and the node it was rewriting when that is known.</summary>
public sealed class OptimizationException : AutoGlmException
{
    public OptimizationException(string passName, string? nodeDescription, string message, Exception? inner = null)
        : base($"optimization pass '{passName}' failed{(nodeDescription is null ? string.Empty : $" at {nodeDescription}")}: {message}", inner)
    {
        PassName = passName;
        NodeDescription = nodeDescription;
    }

    public string PassName { get; }

    /// <summary>The node being rewritten (<c>node 'conv1' (Conv)</c>), or null when the pass did not say.</summary>
    public string? NodeDescription { get; }
}
