using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// A model prepared for repeated inference: load → validate → shape inference → optimize → partition →
/// compile (plan) → run. <see cref="Run"/> is safe for concurrent callers.
/// </summary>
public sealed class InferenceSession
{
    private readonly GraphExecutor _executor;
    private readonly Model _model;
    private readonly Dictionary<string, int> _inputIndex;
    private long _peakBytes;

    private InferenceSession(Model? model, SessionOptions options, string? modelPath = null)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Options = options;
        var level = options.OptimizationLevel;
        OptimizedModelCache? cache = null;
        string? cachePath = null;
        if (options.OptimizedModelCacheDirectory is { } cacheDir && level != OptimizationLevel.None)
        {
            cache = new OptimizedModelCache(cacheDir, options.ModelSerializer!);
            cachePath = model is null ? cache.PathForFile(modelPath!, level, options.Providers) : cache.PathFor(model, level, options.Providers);
            if (cache.TryLoad(cachePath) is { } cached)
            {
                model = cached;
                CacheHit = true;
            }
        }

        // From a file, the original is read only on a cache miss (or without a cache).
        model ??= options.ModelSerializer!.Load(modelPath!);

        // A cached model is already optimized: it only needs validation and shape inference (level None).
        (ShapeReport, OptimizationReport) = ModelPreparation.Optimize(model, options.Providers, CacheHit ? OptimizationLevel.None : level, options.StrictOptimization);
        if (cache is not null && !CacheHit)
        {
            try
            {
                cache.Store(cachePath!, model);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A cache that cannot be written only costs the next session its warm start.
                CacheError = ex.Message;
            }
        }

        _model = model;
        CachePath = cachePath;
        var graph = model.Graph;
        var providerByName = options.Providers.ToDictionary(p => p.Name, StringComparer.Ordinal);
        PartitionReport = Partitioner.Assign(model, graph, options.Providers, name => graph.TypeOf(name), options.StrictFallback);
        _executor = new GraphExecutor(model, graph, providerByName, TypeOfInScope, null, intraOpThreads: options.ResolvedIntraOpThreads, poisonUninitialized: options.PoisonUninitializedOutputs);

        // Inputs a caller must feed: graph inputs that are not initializers (those are overridable defaults).
        Inputs = graph.Inputs.Where(v => !graph.Initializers.ContainsKey(v.Name)).ToList();
        OverridableInitializers = graph.Inputs.Where(v => graph.Initializers.ContainsKey(v.Name)).ToList();
        Outputs = graph.Outputs.ToList();
        _inputIndex = graph.Inputs.Select((v, i) => (v.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        Profiler = new SessionProfiler(options.EnableProfiling);
        CreationTime = sw.Elapsed;
    }

    public SessionOptions Options { get; }

    /// <summary>The inputs a caller must provide.</summary>
    public IReadOnlyList<ValueInfo> Inputs { get; }

    /// <summary>Graph inputs with an initializer default, which a caller may override.</summary>
    public IReadOnlyList<ValueInfo> OverridableInitializers { get; }

    public IReadOnlyList<ValueInfo> Outputs { get; }

    public ShapeInferenceReport ShapeReport { get; }

    public OptimizationReport OptimizationReport { get; }

    public PartitionReport PartitionReport { get; }

    public TimeSpan CreationTime { get; }

    /// <summary>Per-node timings of profiled runs (<see cref="SessionOptions.EnableProfiling"/>).</summary>
    public SessionProfiler Profiler { get; }

    /// <summary>The largest <see cref="RunStatistics.PeakBytes"/> of any run of this session so far.</summary>
    public long PeakBytes => Interlocked.Read(ref _peakBytes);
    /// <summary>Whether the optimized model came from <see cref="SessionOptions.OptimizedModelCacheDirectory"/> (optimizer skipped).</summary>
    public bool CacheHit { get; }

    /// <summary>The optimized-model cache entry this session read or wrote, or null without a cache.</summary>
    public string? CachePath { get; }

    /// <summary>Why the optimized model could not be written to the cache (the session works regardless), or null.</summary>
    public string? CacheError { get; }

    /// <summary>The prepared (optimized, partitioned) model.</summary>
    public Model Model => _model;

    public static InferenceSession Create(Model model, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Providers.Count == 0)
        {
            throw new ArgumentException("SessionOptions.Providers must name at least one execution provider", nameof(options));
        }

        if (options.OptimizedModelCacheDirectory is not null && options.ModelSerializer is null)
        {
            throw new ArgumentException("SessionOptions.OptimizedModelCacheDirectory needs SessionOptions.ModelSerializer (e.g. OnnxModelSerializer.Instance)", nameof(options));
        }

        return new InferenceSession(model, options);
    }

    /// <summary>
    /// Creates a session from a model file read by <see cref="SessionOptions.ModelSerializer"/> (required). With
    /// <see cref="SessionOptions.OptimizedModelCacheDirectory"/> this is the fast warm start: the cache key hashes the
    /// file (and its folder's listing) and a hit loads only the optimized model, never the original.
    /// </summary>
    public static InferenceSession Create(string modelPath, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Providers.Count == 0)
        {
            throw new ArgumentException("SessionOptions.Providers must name at least one execution provider", nameof(options));
        }

        if (options.ModelSerializer is null)
        {
            throw new ArgumentException("creating a session from a file needs SessionOptions.ModelSerializer (e.g. OnnxModelSerializer.Instance)", nameof(options));
        }

        if (!File.Exists(modelPath))
        {
            throw new ModelLoadException($"model file '{modelPath}' does not exist");
        }

        return new InferenceSession(null, options, modelPath);
    }

    /// <summary>
    /// Runs the model. Inputs by name; returns the requested outputs (all when <paramref name="outputNames"/>
    /// is null) by name. Wrong names, dtypes, ranks or shapes raise <see cref="InvalidInputException"/>.
    /// </summary>
    public IReadOnlyDictionary<string, DataValue> Run(
        IReadOnlyDictionary<string, DataValue> inputs,
        IReadOnlyCollection<string>? outputNames = null,
        CancellationToken cancellation = default) =>
        Run(inputs, null, outputNames, cancellation);

    /// <summary>
    /// Runs the model like <see cref="Run(IReadOnlyDictionary{string, DataValue}, IReadOnlyCollection{string}?, CancellationToken)"/>
    /// and fills <paramref name="statistics"/> with the run's memory counters.
    /// </summary>
    public IReadOnlyDictionary<string, DataValue> Run(
        IReadOnlyDictionary<string, DataValue> inputs,
        RunStatistics? statistics,
        IReadOnlyCollection<string>? outputNames = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var graph = _model.Graph;
        var formal = new DataValue?[graph.Inputs.Count];
        foreach (var (name, value) in inputs)
        {
            if (!_inputIndex.TryGetValue(name, out int idx))
            {
                throw new InvalidInputException($"unknown input '{name}'; the model's inputs are: {string.Join(", ", Inputs.Select(v => v.Name))}");
            }

            InputValidation.Check(graph.Inputs[idx], value);
            formal[idx] = value;
        }

        for (int i = 0; i < formal.Length; i++)
        {
            if (formal[i] is null && !graph.Initializers.ContainsKey(graph.Inputs[i].Name))
            {
                throw new InvalidInputException($"missing input '{graph.Inputs[i].Name}' ({graph.Inputs[i].Type})");
            }
        }

        if (outputNames is not null)
        {
            foreach (var n in outputNames)
            {
                if (!Outputs.Any(o => o.Name == n))
                {
                    throw new InvalidInputException($"unknown output '{n}'; the model's outputs are: {string.Join(", ", Outputs.Select(v => v.Name))}");
                }
            }
        }

        var frame = _executor.RentFrame();
        var recorder = frame.Recorder;
        bool profiling = Profiler.IsEnabled;
        recorder.Reset(profiling ? new List<NodeTiming>(_executor.StepCount) : null);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        frame.Execute(formal, null, recorder, null, cancellation);
        var results = new DataValue?[graph.Outputs.Count];
        for (int i = 0; i < results.Length; i++)
        {
            // Returned outputs leave the arena (the caller owns them); the others go back to it.
            if (outputNames is null || outputNames.Contains(graph.Outputs[i].Name))
            {
                results[i] = frame.TakeOutput(_executor.OutputSlot(i));
            }
        }

        frame.Finish(recorder);
        long elapsed = System.Diagnostics.Stopwatch.GetTimestamp() - start;
        Record(recorder, statistics, start, elapsed);
        _executor.ReturnFrame(frame);

        var dict = new Dictionary<string, DataValue>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Outputs.Count; i++)
        {
            string name = graph.Outputs[i].Name;
            if (outputNames is null || outputNames.Contains(name))
            {
                dict[name] = results[i] ?? throw new OpExecutionException($"output '{name}' was not produced");
            }
        }

        return dict;
    }

    /// <summary>
    /// Runs the model on the inputs bound to <paramref name="binding"/> and leaves the outputs in it
    /// (<see cref="IoBinding.Output(string)"/>). With the same input shapes as the previous run of the binding,
    /// the run allocates nothing on the managed heap: the session's arena holds the intermediates, the binding
    /// holds the outputs (caller-bound tensors, or tensors it keeps from the first run and overwrites in later ones).
    /// </summary>
    public void Run(IoBinding binding, RunStatistics? statistics = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (!ReferenceEquals(binding.Session, this))
        {
            throw new ArgumentException("the binding was created by another session", nameof(binding));
        }

        binding.CheckComplete();
        var frame = _executor.RentFrame();
        var recorder = frame.Recorder;
        bool profiling = Profiler.IsEnabled;
        recorder.Reset(profiling ? new List<NodeTiming>(_executor.StepCount) : null);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        frame.Execute(binding.Inputs, null, recorder, binding.Outputs, cancellation);
        for (int i = 0; i < binding.Outputs.Length; i++)
        {
            int slot = _executor.OutputSlot(i);
            var value = frame.PeekOutput(slot) ?? throw new OpExecutionException($"output '{Outputs[i].Name}' was not produced");
            if (binding.Place(i, value, frame.IsArenaOwned(slot)))
            {
                frame.TakeOutput(slot);
            }
        }

        frame.Finish(recorder);
        long elapsed = System.Diagnostics.Stopwatch.GetTimestamp() - start;
        Record(recorder, statistics, start, elapsed);
        _executor.ReturnFrame(frame);
    }

    /// <summary>A binding of inputs and output destinations for zero-allocation runs (<see cref="Run(IoBinding, RunStatistics?, CancellationToken)"/>).</summary>
    public IoBinding CreateBinding() => new(this);

    internal int InputIndex(string name) => _inputIndex.TryGetValue(name, out int idx)
        ? idx
        : throw new InvalidInputException($"unknown input '{name}'; the model's inputs are: {string.Join(", ", Inputs.Select(v => v.Name))}");

    private void Record(RunRecorder recorder, RunStatistics? statistics, long start, long elapsed)
    {
        bool profiling = Profiler.IsEnabled;
        var stats = statistics ?? (profiling ? new RunStatistics() : null);
        if (stats is not null)
        {
            recorder.CopyTo(stats);
        }

        if (profiling)
        {
            Profiler.Add(start, elapsed, stats!, recorder.Timings!);
        }

        long peak = recorder.PeakBytes;
        for (long seen = Interlocked.Read(ref _peakBytes); peak > seen; seen = Interlocked.Read(ref _peakBytes))
        {
            if (Interlocked.CompareExchange(ref _peakBytes, peak, seen) == seen)
            {
                break;
            }
        }
    }

    /// <summary>Runs on the thread pool; the model itself runs synchronously on one pool thread.</summary>
    public Task<IReadOnlyDictionary<string, DataValue>> RunAsync(
        IReadOnlyDictionary<string, DataValue> inputs,
        IReadOnlyCollection<string>? outputNames = null,
        CancellationToken cancellation = default) =>
        Task.Run(() => Run(inputs, outputNames, cancellation), cancellation);

    private static TypeInfo? TypeOfInScope(Graph graph, string name)
    {
        for (var g = graph; g is not null; g = g.Parent)
        {
            if (g.TypeOf(name) is { } t)
            {
                return t;
            }
        }

        return null;
    }
}
