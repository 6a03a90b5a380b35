using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.TestKit.BackendTests;

/// <summary>
/// Runs ONNX backend tests through <see cref="InferenceSession"/> with the given providers and compares every
/// output with the expected one (rtol/atol as numpy's allclose). Never throws for a test's own failure: the
/// outcome is a <see cref="BackendTestResult"/> with a reason.
/// </summary>
public sealed class BackendTestRunner
{
    private readonly Func<IReadOnlyList<IExecutionProvider>> _providers;
    private readonly OptimizationLevel _level;
    private readonly TimeSpan _timeout;

    public BackendTestRunner(Func<IReadOnlyList<IExecutionProvider>> providers, OptimizationLevel level = OptimizationLevel.Basic, TimeSpan? timeout = null)
    {
        _providers = providers;
        _level = level;
        _timeout = timeout ?? TimeSpan.FromSeconds(120);
    }

    /// <summary>Per-test tolerance overrides: (rtol, atol).</summary>
    public IReadOnlyDictionary<string, (double Rtol, double Atol)> Tolerances { get; init; } = new Dictionary<string, (double, double)>();

    /// <summary>Sessions fill outputs that kernels allocate without zero-fill with NaN (<see cref="SessionOptions.PoisonUninitializedOutputs"/>).</summary>
    public bool PoisonUninitializedOutputs { get; init; }

    public BackendTestResult Run(BackendTestCase test)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var task = Task.Factory.StartNew(() => RunCore(test), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(_timeout))
        {
            return new BackendTestResult(test, BackendTestStatus.Error, $"timed out after {_timeout.TotalSeconds:0}s", sw.Elapsed);
        }

        var (status, reason) = task.Result;
        return new BackendTestResult(test, status, reason, sw.Elapsed);
    }

    private (BackendTestStatus, string) RunCore(BackendTestCase test)
    {
        InferenceSession session;
        try
        {
            var model = OnnxModelLoader.Load(test.ModelPath);
            session = InferenceSession.Create(model, new SessionOptions { Providers = _providers(), OptimizationLevel = _level, PoisonUninitializedOutputs = PoisonUninitializedOutputs });
        }
        catch (UnsupportedOperatorException ex)
        {
            return (BackendTestStatus.Unsupported, OneLine(ex.Message));
        }
        catch (Exception ex)
        {
            return (BackendTestStatus.Error, $"load: {ex.GetType().Name}: {OneLine(ex.Message)}");
        }

        var (rtol, atol) = Tolerances.TryGetValue(test.Id, out var tol) ? tol : (1e-3, 1e-5);
        int sets = 0;
        foreach (var set in test.DataSets())
        {
            sets++;
            var feeds = new Dictionary<string, DataValue>(StringComparer.Ordinal);
            var graphInputs = session.Model.Graph.Inputs;
            var needed = session.Inputs.ToList();
            try
            {
                for (int i = 0; ; i++)
                {
                    string file = Path.Combine(set, $"input_{i}.pb");
                    if (!File.Exists(file))
                    {
                        break;
                    }

                    // Inputs are positional over the graph's inputs (initializer-backed ones included).
                    if (i >= graphInputs.Count)
                    {
                        return (BackendTestStatus.Error, $"{Path.GetFileName(set)}: more input files than graph inputs");
                    }

                    feeds[graphInputs[i].Name] = OnnxValueReader.Read(file, graphInputs[i].Type);
                }
            }
            catch (Exception ex)
            {
                return (BackendTestStatus.Error, $"reading inputs: {OneLine(ex.Message)}");
            }

            IReadOnlyDictionary<string, DataValue> results;
            try
            {
                results = session.Run(feeds);
            }
            catch (UnsupportedOperatorException ex)
            {
                return (BackendTestStatus.Unsupported, OneLine(ex.Message));
            }
            catch (Exception ex)
            {
                return (BackendTestStatus.Error, $"run: {ex.GetType().Name}: {OneLine(ex.Message)}");
            }

            for (int i = 0; i < session.Outputs.Count; i++)
            {
                string file = Path.Combine(set, $"output_{i}.pb");
                if (!File.Exists(file))
                {
                    continue;
                }

                var output = session.Outputs[i];
                DataValue expected;
                try
                {
                    expected = OnnxValueReader.Read(file, output.Type);
                }
                catch (Exception ex)
                {
                    return (BackendTestStatus.Error, $"reading expected output: {OneLine(ex.Message)}");
                }

                if (Compare(expected, results[output.Name], rtol, atol) is { } why)
                {
                    return (BackendTestStatus.Fail, $"{Path.GetFileName(set)} output '{output.Name}': {why}");
                }
            }
        }

        return sets == 0 ? (BackendTestStatus.Error, "no test_data_set folder") : (BackendTestStatus.Pass, string.Empty);
    }

    private static string? Compare(DataValue expected, DataValue actual, double rtol, double atol)
    {
        switch (expected, actual)
        {
            case (Tensor e, Tensor a):
                return TensorAssert.Compare(e, a, rtol, atol);
            case (TensorSequence e, TensorSequence a):
                if (e.Items.Count != a.Items.Count)
                {
                    return $"sequence length {a.Items.Count} != expected {e.Items.Count}";
                }

                for (int i = 0; i < e.Items.Count; i++)
                {
                    if (TensorAssert.Compare(e.Items[i], a.Items[i], rtol, atol) is { } why)
                    {
                        return $"sequence item {i}: {why}";
                    }
                }

                return null;
            case (OptionalValue e, OptionalValue a):
                if (e.HasValue != a.HasValue)
                {
                    return $"optional has value {a.HasValue} != expected {e.HasValue}";
                }

                return e.Value is null ? null : Compare(e.Value, a.Value!, rtol, atol);
            case (OptionalValue { Value: { } inner }, _):
                return Compare(inner, actual, rtol, atol);
            default:
                return $"got {actual.Type}, expected {expected.Type}";
        }
    }

    private static string OneLine(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length > 300 ? s[..300] + "…" : s;
    }
}
