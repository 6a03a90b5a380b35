using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx;

/// <summary>
/// Reads tensor bytes stored outside the model file (ONNX external data: location, offset, length keys).
/// The location must stay inside the model's folder: absolute paths, "..", and links out of the folder are
/// rejected, so a model cannot make the loader read arbitrary files.
/// </summary>
internal static class ExternalData
{
    public static byte[] Read(TensorProto proto, string? baseDirectory, long expectedBytes, string name)
    {
        if (baseDirectory is null)
        {
            throw new ModelLoadException($"{name}: external data needs the model's folder (load the model from a file path)");
        }

        string? location = null;
        long offset = 0;
        long length = -1;
        foreach (var kv in proto.ExternalData)
        {
            switch (kv.Key)
            {
                case "location": location = kv.Value; break;
                case "offset": offset = ParseLong(kv.Value, "offset", name); break;
                case "length": length = ParseLong(kv.Value, "length", name); break;
                case "checksum": break;
                default: throw new ModelLoadException($"{name}: unknown external_data key '{kv.Key}'");
            }
        }

        if (string.IsNullOrEmpty(location))
        {
            throw new ModelLoadException($"{name}: external data has no 'location'");
        }

        string path = Confine(baseDirectory, location, name);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"{name}: external data file '{location}' not found next to the model");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long size = stream.Length;
        if (length < 0)
        {
            length = expectedBytes;
        }

        if (length != expectedBytes)
        {
            throw new ModelLoadException($"{name}: external data length {length} does not match the {expectedBytes} bytes its dims need");
        }

        if (offset < 0 || offset > size || length > size - offset)
        {
            throw new ModelLoadException($"{name}: external data range [{offset}, {offset + length}) lies outside '{location}' ({size} bytes)");
        }

        var bytes = new byte[length];
        stream.Seek(offset, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Resolves <paramref name="location"/> under <paramref name="baseDirectory"/>, refusing anything that escapes it.</summary>
    public static string Confine(string baseDirectory, string location, string name)
    {
        if (Path.IsPathRooted(location) || location.Contains('\0'))
        {
            throw new ModelLoadException($"{name}: external data location '{location}' must be a relative path inside the model's folder");
        }

        string root = Path.GetFullPath(baseDirectory);
        string full = Path.GetFullPath(Path.Combine(root, location));
        string rootWithSep = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSep, StringComparison.Ordinal))
        {
            throw new ModelLoadException($"{name}: external data location '{location}' escapes the model's folder");
        }

        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
        {
            string? target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (target is null || !target.StartsWith(rootWithSep, StringComparison.Ordinal))
            {
                throw new ModelLoadException($"{name}: external data location '{location}' links outside the model's folder");
            }
        }

        return full;
    }

    private static long ParseLong(string value, string key, string name) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new ModelLoadException($"{name}: external_data '{key}' is not a non-negative integer: '{value}'");
}
