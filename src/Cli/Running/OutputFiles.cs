using System.Text;
using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli.Running;

/// <summary>
/// Writes run outputs as <c>DIR/&lt;name&gt;.npy</c>, where characters outside <c>[A-Za-z0-9._-]</c> become
/// '_'. Sequence items go to <c>&lt;name&gt;_&lt;i&gt;.npy</c>; an optional writes its value or nothing.
/// </summary>
internal static class OutputFiles
{
    public static string SafeFileName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        // "." and ".." are not usable file names.
        string result = sb.ToString();
        return result.Length == 0 || result.Trim('.').Length == 0 ? "_" + result : result;
    }

    /// <summary>Writes one output; returns the files written and notes for values that cannot be stored as .npy.</summary>
    public static IReadOnlyList<string> Write(string directory, string name, DataValue value, List<string> notes)
    {
        Directory.CreateDirectory(directory);
        string stem = SafeFileName(name);
        var written = new List<string>();
        switch (value)
        {
            case StringTensor:
                notes.Add($"output '{name}' is a string tensor; .npy output supports numeric and bool tensors only, not written");
                break;
            case Tensor t:
                written.Add(WriteTensor(Path.Combine(directory, stem + ".npy"), t));
                break;
            case TensorSequence seq:
                for (int i = 0; i < seq.Items.Count; i++)
                {
                    written.AddRange(Write(directory, $"{name}_{i}", seq.Items[i], notes));
                }

                break;
            case OptionalValue { Value: { } inner }:
                written.AddRange(Write(directory, name, inner, notes));
                break;
            case OptionalValue:
                notes.Add($"output '{name}' is an empty optional, not written");
                break;
        }

        return written;
    }

    private static string WriteTensor(string path, Tensor t)
    {
        NpyFile.Write(path, t);
        return path;
    }
}
