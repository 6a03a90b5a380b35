using System.Diagnostics;
using Google.Protobuf;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using Xunit.Abstractions;

namespace OpenAutoGlm.Onnx.Tests.Fuzzing;

/// <summary>
/// Bad input never crashes, hangs or allocates without bound: every mutant of several real models either loads
/// (and then saves, reloads to the same graph, and validates or throws <see cref="GraphValidationException"/>)
/// or throws <see cref="ModelLoadException"/>. Any other exception, a load slower than a few seconds, or an
/// allocation far beyond the file's size fails the test and prints the seed and the mutation.
/// AUTOGLM_FUZZ_SEED and AUTOGLM_FUZZ_MUTANTS (per seed model) run a longer or different campaign;
/// AUTOGLM_FUZZ_VERBOSE=1 prints every mutation and its outcome.
/// </summary>
public sealed class LoaderFuzzTests
{
    /// <summary>Seed models: subgraphs and TYPE_PROTO attributes, sequences, strings, typed fields, raw weights, tensor attributes.</summary>
    private static readonly string[] s_seedModels =
    [
        "node/test_if_opt",
        "node/test_sequence_map_add_2_sequences",
        "node/test_range_float_type_positive_delta_expanded",
        "node/test_constant",
        "simple/test_strnorm_model_monday_casesensintive_lower",
        "simple/test_sequence_model1",
        "pytorch-converted/test_PReLU_2d",
    ];

    private static readonly TimeSpan s_maxLoadTime = TimeSpan.FromSeconds(5);

    private readonly ITestOutputHelper _output;

    public LoaderFuzzTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void MutantsLoadOrFailWithModelLoadException()
    {
        int baseSeed = int.TryParse(Environment.GetEnvironmentVariable("AUTOGLM_FUZZ_SEED"), out int s) ? s : 20240611;
        int perModel = int.TryParse(Environment.GetEnvironmentVariable("AUTOGLM_FUZZ_MUTANTS"), out int n) ? n : 100;
        bool verbose = Environment.GetEnvironmentVariable("AUTOGLM_FUZZ_VERBOSE") == "1";
        var seeds = SeedModels();
        using var folder = new TempDirectory("autoglm-fuzz");
        using var outside = new TempDirectory("autoglm-fuzz-outside");
        File.WriteAllBytes(folder.File(ModelMutator.DataFile), new byte[64]);
        File.WriteAllBytes(outside.File("secret.bin"), new byte[64]);
        File.CreateSymbolicLink(folder.File(ModelMutator.EscapingLink), outside.File("secret.bin"));
        var failures = new List<string>();
        int loaded = 0;
        int rejected = 0;
        var sw = Stopwatch.StartNew();
        for (int m = 0; m < seeds.Count; m++)
        {
            var (name, bytes) = seeds[m];
            for (int i = 0; i < perModel; i++)
            {
                int seed = unchecked((baseSeed * 1_000_003) + (m * 100_003) + i);
                var (mutant, mutation) = new ModelMutator(seed).Mutate(bytes);
                string? problem = Check(mutant, folder.Path, out bool ok, out string outcome);
                if (verbose)
                {
                    _output.WriteLine($"{name} seed {seed} [{mutation}]: {outcome}");
                }

                if (problem is not null)
                {
                    failures.Add($"{name} seed {seed} (AUTOGLM_FUZZ_SEED={baseSeed}, model {m}, mutant {i}) [{mutation}]: {problem}");
                }
                else if (ok)
                {
                    loaded++;
                }
                else
                {
                    rejected++;
                }
            }
        }

        _output.WriteLine($"{seeds.Count} seed models x {perModel} mutants: {loaded} loaded, {rejected} rejected with ModelLoadException, {failures.Count} failures, {sw.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, $"{failures.Count} mutants broke the loader:\n{string.Join("\n", failures.Take(30))}");
    }

    /// <summary>Returns null when the mutant was handled (<paramref name="loaded"/> says how), else what went wrong.</summary>
    internal static string? Check(byte[] mutant, string baseDirectory, out bool loaded, out string outcome)
    {
        loaded = false;
        outcome = "loaded";
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        Model model;
        try
        {
            model = OnnxModelLoader.Load(mutant, baseDirectory, "mutant");
        }
        catch (ModelLoadException ex)
        {
            outcome = ex.Message.Length > 300 ? ex.Message[..300] : ex.Message;
            return Budget(mutant, allocatedBefore, sw) ?? (ex.Message.Length == 0 ? "ModelLoadException with an empty message" : null);
        }
        catch (Exception ex)
        {
            outcome = ex.GetType().Name;
            return $"{ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}";
        }

        if (Budget(mutant, allocatedBefore, sw) is { } over)
        {
            return over;
        }

        loaded = true;
        try
        {
            byte[] saved = OnnxModelSaver.ToBytes(model);
            var reloaded = OnnxModelLoader.Load(saved, baseDirectory, "re-saved mutant");
            if (GraphComparer.Compare(model, reloaded) is { } diff)
            {
                return $"loaded, but does not round-trip: {diff}";
            }
        }
        catch (Exception ex)
        {
            return $"loaded, but save/reload threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}";
        }

        try
        {
            GraphOrder.ValidateAndSort(model.Graph);
        }
        catch (GraphValidationException)
        {
            // A structurally broken graph is the validator's to report, and it did.
        }
        catch (Exception ex)
        {
            return $"loaded, but validation threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}";
        }

        return null;
    }

    /// <summary>Loading may cost a bounded multiple of the file size, and only seconds.</summary>
    private static string? Budget(byte[] mutant, long allocatedBefore, Stopwatch sw)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long limit = (16L << 20) + (32L * mutant.Length);
        if (allocated > limit)
        {
            return $"allocated {allocated} bytes for a {mutant.Length}-byte file (limit {limit})";
        }

        return sw.Elapsed > s_maxLoadTime ? $"took {sw.Elapsed.TotalSeconds:0.0} s" : null;
    }

    /// <summary>The hand-built kitchen-sink model plus the listed libonnx-testdata models that are installed.</summary>
    internal static List<(string Name, byte[] Bytes)> SeedModels()
    {
        var seeds = new List<(string, byte[])> { ("kitchen-sink", SampleModels.KitchenSink().ToByteArray()) };
        foreach (var relative in s_seedModels)
        {
            string path = Path.Combine(RepoPaths.OnnxTestData, relative, "model.onnx");
            if (File.Exists(path))
            {
                seeds.Add((relative, File.ReadAllBytes(path)));
            }
        }

        return seeds;
    }
}
