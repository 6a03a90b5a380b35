using System.Security.Cryptography;
using System.Text;
using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// Optimized models on disk for warm starts: <c>DIR/&lt;key&gt;.&lt;format&gt;</c> where the key is the SHA-256 of the
/// original model's bytes, the optimization level, the provider names and the optimizer build (so a changed
/// pass invalidates old entries). Entries are written atomically (temporary file, then a rename that never
/// overwrites); a concurrent writer of the same key wins harmlessly. An entry that cannot be read is deleted
/// and rewritten.
/// </summary>
public sealed class OptimizedModelCache
{
    private readonly string _directory;
    private readonly IModelSerializer _serializer;

    public OptimizedModelCache(string directory, IModelSerializer serializer)
    {
        _directory = Path.GetFullPath(directory);
        _serializer = serializer;
    }

    /// <summary>The entry path for <paramref name="model"/> optimized at <paramref name="level"/> for <paramref name="providers"/>.</summary>
    public string PathFor(Model model, OptimizationLevel level, IReadOnlyList<IExecutionProvider> providers)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(_serializer.Serialize(model));
        AppendSettings(sha, level, providers);
        return Path.Combine(_directory, Convert.ToHexStringLower(sha.GetHashAndReset()) + "." + _serializer.Format);
    }

    /// <summary>
    /// The entry path for the model file at <paramref name="modelPath"/>, without loading or reading all of it (hashing
    /// a 400 MB file costs as much as loading it): the key hashes the file's full path, length and write time, its
    /// first and last MiB, and the name, length and write time of every other file in its folder (external data lives
    /// there). A file rewritten in place with the same length, write time and ends would be missed — the same
    /// trade-off as a build cache's "direct mode"; use <see cref="PathFor"/> (a hash of the whole model) when that matters.
    /// </summary>
    public string PathForFile(string modelPath, OptimizationLevel level, IReadOnlyList<IExecutionProvider> providers)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var model = new FileInfo(Path.GetFullPath(modelPath));
        sha.AppendData(Encoding.UTF8.GetBytes($"model={model.FullName}:{model.Length}:{model.LastWriteTimeUtc.Ticks}\n"));
        const int Sample = 1 << 20;
        using (var stream = new FileStream(model.FullName, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            var buffer = new byte[Sample];
            int n = stream.ReadAtLeast(buffer, Sample, throwOnEndOfStream: false);
            sha.AppendData(buffer, 0, n);
            if (stream.Length > 2L * Sample)
            {
                stream.Seek(-Sample, SeekOrigin.End);
                n = stream.ReadAtLeast(buffer, Sample, throwOnEndOfStream: false);
                sha.AppendData(buffer, 0, n);
            }
        }

        if (model.DirectoryName is { } folder)
        {
            foreach (var file in Directory.EnumerateFiles(folder).Where(f => f != model.FullName).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(file);
                sha.AppendData(Encoding.UTF8.GetBytes($"\nfile={info.Name}:{info.Length}:{info.LastWriteTimeUtc.Ticks}"));
            }
        }

        AppendSettings(sha, level, providers);
        return Path.Combine(_directory, "f" + Convert.ToHexStringLower(sha.GetHashAndReset()) + "." + _serializer.Format);
    }

    /// <summary>The cached model, or null on a miss or an unreadable entry (which is deleted).</summary>
    public Model? TryLoad(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            var model = _serializer.Deserialize(bytes);
            GraphOrder.ValidateAndSort(model.Graph);
            return model;
        }
        catch (AutoGlmException)
        {
            TryDelete(path);
            return null;
        }
    }

    /// <summary>Writes <paramref name="model"/> as the entry at <paramref name="path"/> unless another writer got there first.</summary>
    public void Store(string path, Model model)
    {
        Directory.CreateDirectory(_directory);
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, _serializer.Serialize(model));
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // A concurrent session stored the same entry; theirs is as good as ours.
            TryDelete(temp);
        }
    }

    private static void AppendSettings(IncrementalHash sha, OptimizationLevel level, IReadOnlyList<IExecutionProvider> providers)
    {
        string build = typeof(PassManager).Assembly.ManifestModule.ModuleVersionId.ToString("N");
        sha.AppendData(Encoding.UTF8.GetBytes($"\nlevel={level}\nproviders={string.Join(",", providers.Select(p => p.Name))}\noptimizer={build}\n"));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
