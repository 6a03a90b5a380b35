using System.Collections.Concurrent;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using OpenAutoGlm.TestKit.BackendTests;
using Xunit.Abstractions;

namespace OpenAutoGlm.Conformance.Tests;

/// <summary>
/// Feeds every libonnx-testdata node model inputs that are wrong in value (integer inputs shifted out of range or
/// negated: indices, axes, shapes, sizes, counts; float inputs all NaN or ±1e30: scales, coordinates) and asserts that the engine either runs or throws a typed
/// <see cref="AutoGlmException"/> raised on purpose — never a raw IndexOutOfRange/NullReference/Argument exception
/// from inside a kernel (those reach the caller wrapped by the executor, with the system exception as the inner
/// exception: that is what this test counts as a defect), and never hangs.
/// The mutations keep sizes bounded (a dim grows by at most 7, or becomes int.MaxValue, which no tensor can hold and must be refused before allocating).
/// </summary>
public sealed class HostileInputTests
{
    private static readonly Func<long, long>[] s_mutations =
    [
        v => v + 7,
        v => -v - 1,
        _ => int.MaxValue,
    ];

    // Float inputs that are scales, coordinates or thresholds: NaN and overflowing values must not turn into
    // garbage sizes or indices inside a kernel.
    private static readonly float[] s_floatPoisons = [float.NaN, 1e30f, -1e30f];

    private readonly ITestOutputHelper _output;

    public HostileInputTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [TestDataFact]
    public void OutOfRangeIntegerInputsGiveTypedErrors()
    {
        var cases = BackendTestCase.Discover(RepoPaths.OnnxTestData, "node")
            .Where(c => !c.Name.Contains("bernoulli", StringComparison.Ordinal) && !c.Name.Contains("random", StringComparison.Ordinal))
            .ToList();
        var defects = new ConcurrentBag<string>();
        int ran = 0;
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) }, c =>
        {
            InferenceSession session;
            try
            {
                session = InferenceSession.Create(OnnxModelLoader.Load(c.ModelPath), new SessionOptions { Providers = [new CpuExecutionProvider()] });
            }
            catch (AutoGlmException)
            {
                return;
            }

            string? set = c.DataSets().FirstOrDefault();
            if (set is null)
            {
                return;
            }

            var graphInputs = session.Model.Graph.Inputs;
            var feeds = new Dictionary<string, DataValue>(StringComparer.Ordinal);
            for (int i = 0; i < graphInputs.Count && File.Exists(Path.Combine(set, $"input_{i}.pb")); i++)
            {
                feeds[graphInputs[i].Name] = OnnxValueReader.Read(Path.Combine(set, $"input_{i}.pb"), graphInputs[i].Type);
            }

            foreach (var (name, value) in feeds)
            {
                if (value is Tensor { DataType: DataType.Float32 } ft && !(IsAmountOfWork(c) && c.Name.EndsWith("_expanded", StringComparison.Ordinal)))
                {
                    foreach (float poison in s_floatPoisons)
                    {
                        var data = new float[ft.Length];
                        Array.Fill(data, poison);
                        var poisoned = new Dictionary<string, DataValue>(feeds, StringComparer.Ordinal) { [name] = Tensor.Create(data, ft.DimsArray()) };
                        Interlocked.Increment(ref ran);
                        if (RunGuarded(session, poisoned) is { } defect)
                        {
                            defects.Add($"{c.Id} input '{name}' all {poison}: {defect}");
                        }
                    }
                }

                if (value is not Tensor { DataType: DataType.Int64 or DataType.Int32 } t)
                {
                    continue;
                }

                for (int m = 0; m < s_mutations.Length; m++)
                {
                    if (m == s_mutations.Length - 1 && IsAmountOfWork(c))
                    {
                        continue;
                    }

                    var mutated = new Dictionary<string, DataValue>(feeds, StringComparer.Ordinal) { [name] = Mutate(t, s_mutations[m]) };
                    Interlocked.Increment(ref ran);
                    if (RunGuarded(session, mutated) is { } defect)
                    {
                        defects.Add($"{c.Id} input '{name}' mutation {m}: {defect}");
                    }
                }
            }
        });

        _output.WriteLine($"{ran} mutated runs, {defects.Count} defects");
        var list = defects.Order(StringComparer.Ordinal).ToList();
        Assert.True(list.Count == 0, $"{list.Count} of {ran} mutated runs failed without a typed error:\n" + string.Join("\n", list));
    }

    // A loop's trip count and a range's bounds are amounts of work, not sizes: huge values there are a legitimately
    // long run (the expanded Range is a Loop), not a defect to time out on. Their bad values are still checked by
    // the +7 and negation mutations.
    private static bool IsAmountOfWork(BackendTestCase c) =>
        c.Name.StartsWith("test_loop", StringComparison.Ordinal) || c.Name.StartsWith("test_range", StringComparison.Ordinal);

    private static string? RunGuarded(InferenceSession session, Dictionary<string, DataValue> feeds)
    {
        var task = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    session.Run(feeds);
                    return null;
                }
                catch (AutoGlmException ex) when (ex.InnerException is null or AutoGlmException)
                {
                    return null;
                }
                catch (Exception ex)
                {
                    var root = ex.InnerException ?? ex;
                    return $"{root.GetType().Name}: {OneLine(ex.Message)}";
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        return task.Wait(TimeSpan.FromSeconds(60)) ? task.Result : "hung for 60 s";
    }

    private static Tensor Mutate(Tensor t, Func<long, long> f)
    {
        if (t.DataType == DataType.Int64)
        {
            var src = t.AsReadOnlySpan<long>();
            var data = new long[src.Length];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = f(src[i]);
            }

            return Tensor.Create(data, t.DimsArray());
        }
        else
        {
            var src = t.AsReadOnlySpan<int>();
            var data = new int[src.Length];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (int)Math.Clamp(f(src[i]), int.MinValue, int.MaxValue);
            }

            return Tensor.Create(data, t.DimsArray());
        }
    }

    private static string OneLine(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length > 200 ? s[..200] + "…" : s;
    }
}
