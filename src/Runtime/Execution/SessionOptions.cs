using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;

namespace OpenAutoGlm.Runtime;

/// <summary>How a session is built: providers in priority order, optimization level, fallback policy, caching.</summary>
public sealed class SessionOptions
{
    /// <summary>Providers in priority order; a node goes to the first that claims it. Must not be empty.</summary>
    public IReadOnlyList<IExecutionProvider> Providers { get; init; } = [];

    /// <summary>How far the optimizer rewrites the graph; <see cref="OptimizationLevel.None"/> runs the model as given.</summary>
    public OptimizationLevel OptimizationLevel { get; init; } = OptimizationLevel.Basic;

    /// <summary>Fail (<see cref="OptimizationException"/>) instead of skipping an optimization pass that throws.</summary>
    public bool StrictOptimization { get; init; }

    /// <summary>Fail instead of falling back when the first provider cannot run a node.</summary>
    public bool StrictFallback { get; init; }

    /// <summary>
    /// A check for kernel authors: outputs a kernel allocates without zero-filling
    /// (<see cref="KernelContext.OutputUninitialized"/>) are filled with all-ones bytes (NaN for floats) before the kernel
    /// runs, so an element the kernel forgets to write shows up in the results instead of a stale value. Slower; off by default.
    /// </summary>
    public bool PoisonUninitializedOutputs { get; init; }

    /// <summary>Degree of parallelism for kernels (0 = all cores).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary><see cref="IntraOpThreads"/> resolved: 0 or less means <see cref="Environment.ProcessorCount"/>.</summary>
    public int ResolvedIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;

    /// <summary>
    /// Record per-node timings (op type, node name, provider, start, duration, thread) of every run into
    /// <see cref="InferenceSession.Profiler"/> (which can also be switched on and off later). Off, runs record
    /// nothing per node.
    /// </summary>
    public bool EnableProfiling { get; init; }

    /// <summary>
    /// Opt-in warm start: a folder where optimized models are cached, keyed by the SHA-256 of the model's bytes,
    /// the optimization level, the provider names and the optimizer build. A hit loads the cached model and skips
    /// the optimizer; a miss optimizes and writes the result. Needs <see cref="ModelSerializer"/>.
    /// </summary>
    public string? OptimizedModelCacheDirectory { get; init; }

    /// <summary>How models are turned into bytes for the cache (e.g. <c>OnnxModelSerializer.Instance</c>).</summary>
    public IModelSerializer? ModelSerializer { get; init; }
}
