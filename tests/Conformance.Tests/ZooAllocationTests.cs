using System.Globalization;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using OpenAutoGlm.TestKit.BackendTests;
using Xunit.Abstractions;

namespace OpenAutoGlm.Conformance.Tests;

/// <summary>
/// Steady-state allocation of zoo models through <see cref="IoBinding"/>: after warm-up, a run must allocate nothing
/// on the managed heap (one intra-op thread, so every kernel runs on the measuring thread). Binding outputs must equal
/// those of the dictionary API. A per-op breakdown (from a profiled run) goes to the test output and artifacts/zoo.
/// Runs alone: Conv's im2col buffer still comes from the process-wide ArrayPool.Shared, which allocates again when
/// concurrent work drains the bucket (moving it to KernelContext.RentScratch is the follow-up).
/// </summary>
[Collection(MeasuresAllocations.Name)]
public sealed class ZooAllocationTests
{
    private readonly ITestOutputHelper _output;

    public ZooAllocationTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [ZooModelFact("squeezenet1_1_op17")]
    public void SqueezeNetSteadyStateRunAllocatesNothing() => SteadyStateRunAllocatesAtMost("squeezenet1_1_op17", 0);

    /// <summary>
    /// At level all the CNNs run in the NCHWc layout (blocked convolutions, Winograd for ResNet's 3x3 layers, depthwise,
    /// pools, reorders): their scratch comes from the arena or grow-only per-thread buffers, so a steady run allocates nothing.
    /// </summary>
    [ZooModelFact("squeezenet1_1_op17")]
    public void SqueezeNetAtLevelAllAllocatesNothing() => SteadyStateRunAllocatesAtMost("squeezenet1_1_op17", 0, OptimizationLevel.All);

    /// <inheritdoc cref="SqueezeNetAtLevelAllAllocatesNothing"/>
    [ZooModelFact("mobilenet_v2_op17")]
    public void MobileNetV2AtLevelAllAllocatesNothing() => SteadyStateRunAllocatesAtMost("mobilenet_v2_op17", 0, OptimizationLevel.All);

    /// <inheritdoc cref="SqueezeNetAtLevelAllAllocatesNothing"/>
    [ZooModelFact("resnet18_op17")]
    public void ResNet18AtLevelAllAllocatesNothing() => SteadyStateRunAllocatesAtMost("resnet18_op17", 0, OptimizationLevel.All);

    /// <summary>
    /// Not yet zero: the broadcast elementwise ops (Add, Mul, Div, Sub) still allocate per call (the per-op breakdown
    /// is printed). The budget catches regressions.
    /// </summary>
    [ZooModelFact("bert_small_op17")]
    public void BertSmallSteadyStateRunStaysWithinBudget() => SteadyStateRunAllocatesAtMost("bert_small_op17", BertBudgetBytes);

    /// <summary>
    /// At optimization level all the transformer kernels (FusedMatMul, MatMul, Attention, SkipLayerNormalization,
    /// FusedGemm) allocate nothing in a steady-state run; the few unfused elementwise ops left stay within the budget.
    /// </summary>
    [ZooModelFact("bert_small_op17")]
    public void BertSmallFusedKernelsAllocateNothing()
    {
        var perOp = SteadyStateRunAllocatesAtMost("bert_small_op17", BertBudgetBytes, OptimizationLevel.All);
        string[] fused = ["FusedMatMul", "MatMul", "Attention", "SkipLayerNormalization", "FusedGemm", "Gelu"];
        Assert.DoesNotContain(perOp, p => fused.Contains(p.Op));
    }

    private const long BertBudgetBytes = 32 * 1024;

    private List<(string Op, long Bytes)> SteadyStateRunAllocatesAtMost(string model, long budget, OptimizationLevel? level = null)
    {
        string dir = Path.Combine(RepoPaths.ZooCache, "models", model);
        var (perRun, perOp) = Measure(dir, level);
        _output.WriteLine($"{model}: {perRun} bytes per steady-state run");
        foreach (var (op, bytes) in perOp)
        {
            _output.WriteLine($"  {op}: {bytes} B/run");
        }

        string outDir = Path.Combine(RepoPaths.Artifacts, "zoo");
        Directory.CreateDirectory(outDir);
        File.WriteAllLines(
            Path.Combine(outDir, $"allocations-{model}.txt"),
            [$"{model}: {perRun} bytes per steady-state run (IoBinding, 1 intra-op thread)", .. perOp.Select(p => $"{p.Op}\t{p.Bytes.ToString(CultureInfo.InvariantCulture)}")]);
        Assert.True(perRun <= budget, $"{model}: {perRun} bytes per run (budget {budget}); by op: {string.Join(", ", perOp.Select(p => $"{p.Op} {p.Bytes}"))}");
        return perOp;
    }

    /// <summary>Bytes per steady-state binding run, and per op type (profiled run) where nonzero.</summary>
    internal static (long PerRun, List<(string Op, long Bytes)> PerOp) Measure(string dir, OptimizationLevel? level = null)
    {
        SessionOptions Options(bool profiling) => level is { } l
            ? new SessionOptions { Providers = [new CpuExecutionProvider()], IntraOpThreads = 1, EnableProfiling = profiling, OptimizationLevel = l }
            : new SessionOptions { Providers = [new CpuExecutionProvider()], IntraOpThreads = 1, EnableProfiling = profiling };

        var test = new BackendTestCase("models", Path.GetFileName(dir), dir);
        var model = OnnxModelLoader.Load(test.ModelPath);
        var session = InferenceSession.Create(model, Options(profiling: false));
        var binding = session.CreateBinding();
        var feeds = new Dictionary<string, DataValue>(StringComparer.Ordinal);
        string set = test.DataSets().First();
        var graphInputs = session.Model.Graph.Inputs;
        for (int i = 0; i < graphInputs.Count; i++)
        {
            string file = Path.Combine(set, $"input_{i}.pb");
            if (!File.Exists(file))
            {
                break;
            }

            var value = OnnxValueReader.Read(file, graphInputs[i].Type);
            feeds[graphInputs[i].Name] = value;
            binding.BindInput(graphInputs[i].Name, value);
        }

        for (int i = 0; i < 3; i++)
        {
            session.Run(binding);
        }

        var expected = session.Run(feeds);
        foreach (var output in session.Outputs)
        {
            Assert.Equal(((Tensor)expected[output.Name]).ToDoubleArray(), ((Tensor)binding.Output(output.Name)).ToDoubleArray());
        }

        session.Run(binding);
        const int runs = 5;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < runs; i++)
        {
            session.Run(binding);
        }

        long perRun = (GC.GetAllocatedBytesForCurrentThread() - before) / runs;

        var profiled = InferenceSession.Create(OnnxModelLoader.Load(test.ModelPath), Options(profiling: true));
        var profiledBinding = profiled.CreateBinding();
        foreach (var (name, value) in feeds)
        {
            profiledBinding.BindInput(name, value);
        }

        for (int i = 0; i < 4; i++)
        {
            profiled.Run(profiledBinding);
        }

        var last = profiled.Profiler.Runs[^1];
        var perOp = last.Nodes.GroupBy(n => n.OpType)
            .Select(g => (Op: g.Key, Bytes: g.Sum(n => n.AllocatedBytes)))
            .Where(p => p.Bytes > 0)
            .OrderByDescending(p => p.Bytes)
            .ToList();
        return (perRun, perOp);
    }
}

/// <summary>A fact skipped, with the reason shown, when the zoo model <c>models/&lt;name&gt;</c> is absent.</summary>
public sealed class ZooModelFactAttribute : FactAttribute
{
    public ZooModelFactAttribute(string model)
    {
        string dir = Path.Combine(RepoPaths.ZooCache, "models", model);
        if (!File.Exists(Path.Combine(dir, "model.onnx")))
        {
            Skip = $"zoo model {dir} not found: build it with `bash scripts/install-test-deps.sh` (or ../shared/zoo/build_zoo.sh)";
        }
    }
}

/// <summary>Tests that measure allocation: xunit runs this collection after the parallel ones, alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresAllocations
{
    public const string Name = "measures allocations";
}
