using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx;

/// <summary>
/// Reads tensor bytes stored outside the model file (ONNX external data: location, offset, length keys).
/// The location must stay inside the model's folder: absolute paths, "..", and symbolic links anywhere on the
/// way that lead out of the folder are rejected, so a model cannot make the loader read arbitrary files.
/// </summary>
internal static class ExternalData
{
    /// <summary>Symbolic links followed while resolving one path before giving up (Linux's own limit is 40).</summary>
    private const int MaxLinkHops = 40;

    /// <summary>
    /// Checks the external_data entries of <paramref name="proto"/> against its file, then allocates the tensor with
    /// <paramref name="allocate"/> and reads <paramref name="expectedBytes"/> bytes straight into it.
    /// </summary>
    public static Tensor Read(TensorProto proto, string? baseDirectory, long expectedBytes, string name, Func<Tensor> allocate)
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

        if (length >= 0 && length != expectedBytes)
        {
            throw new ModelLoadException($"{name}: external data length {length} does not match the {expectedBytes} bytes its dims need");
        }

        string path = Confine(baseDirectory, location, name);
        try
        {
            using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 0 });
            long size = stream.Length;
            if (offset > size || expectedBytes > size - offset)
            {
                throw new ModelLoadException($"{name}: external data of {expectedBytes} bytes at offset {offset} lies outside '{location}' ({size} bytes)");
            }

            var tensor = allocate();
            stream.Seek(offset, SeekOrigin.Begin);
            stream.ReadExactly(tensor.AsBytes());
            return tensor;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"{name}: external data file '{location}' cannot be read: {ex.Message}", ex);
        }
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
        if (!IsInside(full, root))
        {
            throw new ModelLoadException($"{name}: external data location '{location}' escapes the model's folder");
        }

        // The text stays inside; now the file system must agree. A link anywhere on the way (the file itself or a
        // folder above it) could point elsewhere, so compare the fully resolved paths.
        string realRoot = RealPath(root, name);
        string realFull = RealPath(full, name);
        if (!IsInside(realFull, realRoot))
        {
            throw new ModelLoadException($"{name}: external data location '{location}' links outside the model's folder (to '{realFull}')");
        }

        if (!File.Exists(realFull))
        {
            throw new ModelLoadException($"{name}: external data file '{location}' not found next to the model");
        }

        return realFull;
    }

    private static bool IsInside(string path, string root)
    {
        string rootWithSep = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(rootWithSep, StringComparison.Ordinal);
    }

    /// <summary>
    /// The path with every symbolic link resolved, component by component (what POSIX realpath computes);
    /// components that do not exist are kept as written.
    /// </summary>
    private static string RealPath(string fullPath, string name)
    {
        string current = Path.GetPathRoot(fullPath) ?? string.Empty;
        var pending = new Stack<string>(Components(fullPath[current.Length..]).Reverse());
        int hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            string next = Path.Join(current, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new ModelLoadException($"{name}: too many symbolic links while resolving '{fullPath}'");
            }

            // The link's target replaces it: an absolute target restarts from its root, a relative one
            // continues from the folder holding the link.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? current;
                target = target[current.Length..];
            }

            foreach (var p in Components(target).Reverse())
            {
                pending.Push(p);
            }
        }

        return current;
    }

    private static string[] Components(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    private static long ParseLong(string value, string key, string name) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new ModelLoadException($"{name}: external_data '{key}' is not a non-negative integer: '{value}'");
}
