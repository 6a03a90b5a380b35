namespace OpenAutoGlm.Cli.Running;

/// <summary>One <c>--input NAME=FILE</c> argument.</summary>
internal sealed record InputSpec(string Name, string Path)
{
    /// <summary>Splits at the first '=' (paths may contain '=', input names rarely do).</summary>
    public static InputSpec Parse(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            throw new UsageException($"--input '{text}': expected NAME=FILE (e.g. --input input_ids=ids.npy)");
        }

        return new InputSpec(text[..eq], text[(eq + 1)..]);
    }
}
