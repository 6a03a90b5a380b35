using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Optimizer.Tests;

/// <summary>Runs test models unoptimized and optimized on the CPU provider, and single passes in isolation.</summary>
internal static class PassHarness
{
    public static InferenceSession Session(Model model, OptimizationLevel level) =>
        InferenceSession.Create(model, new SessionOptions { Providers = [new CpuExecutionProvider()], OptimizationLevel = level, StrictOptimization = true });

    /// <summary>
    /// Builds the model twice, runs it at level None and at <paramref name="level"/> on the same feeds, asserts every
    /// output matches (rtol 1e-5, atol 1e-5) and returns the optimized session (for structural checks).
    /// </summary>
    public static InferenceSession AssertOutputsPreserved(Func<Model> build, IReadOnlyDictionary<string, DataValue> feeds, OptimizationLevel level = OptimizationLevel.Basic)
    {
        var reference = Session(build(), OptimizationLevel.None).Run(feeds);
        var optimized = Session(build(), level);
        var actual = optimized.Run(feeds);
        Assert.Equal(reference.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in reference)
        {
            if (TensorAssert.Compare((Tensor)value, (Tensor)actual[name], 1e-5, 1e-5) is { } why)
            {
                Assert.Fail($"output '{name}' changed by optimization: {why}\n{GraphText.Format(optimized.Model.Graph)}");
            }
        }

        return optimized;
    }

    /// <summary>Validates and shape-infers the model like a session does, then applies one pass with the CPU provider's context.</summary>
    public static bool ApplyOnly(IGraphPass pass, Model model, PassContext? context = null)
    {
        GraphOrder.ValidateAndSort(model.Graph);
        IReadOnlyList<IExecutionProvider> providers = [new CpuExecutionProvider()];
        ShapeInferencer.Run(model, new ShapeInferenceOptions { ConstantEvaluator = ConstantFolding.CreateEvaluator(providers) });
        return pass.Apply(model, context ?? ModelPreparation.CreatePassContext(model, providers));
    }

    /// <summary>Asserts that <paramref name="pass"/> reports no change and leaves the graph text identical.</summary>
    public static void AssertUnchanged(IGraphPass pass, Model model, PassContext? context = null)
    {
        GraphOrder.ValidateAndSort(model.Graph);
        IReadOnlyList<IExecutionProvider> providers = [new CpuExecutionProvider()];
        ShapeInferencer.Run(model, new ShapeInferenceOptions { ConstantEvaluator = ConstantFolding.CreateEvaluator(providers) });
        string before = GraphText.Format(model.Graph);
        Assert.False(pass.Apply(model, context ?? ModelPreparation.CreatePassContext(model, providers)), $"{pass.Name} claimed a change");
        Assert.Equal(before, GraphText.Format(model.Graph));
    }

    public static int Count(InferenceSession session, string op) => GraphText.OpHistogram(session.Model.Graph).GetValueOrDefault(op);

    public static int Count(Model model, string op) => GraphText.OpHistogram(model.Graph).GetValueOrDefault(op);

    /// <summary>Seeded uniform values in [-1, 1).</summary>
    public static Tensor<float> Random(int seed, params int[] dims)
    {
        var rng = new Random(seed);
        int n = dims.Aggregate(1, (a, b) => a * b);
        return Tensor.Create(Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray(), dims);
    }

    /// <summary>Seeded uniform values in [lo, hi).</summary>
    public static Tensor<float> Uniform(int seed, float lo, float hi, params int[] dims)
    {
        var rng = new Random(seed);
        int n = dims.Aggregate(1, (a, b) => a * b);
        return Tensor.Create(Enumerable.Range(0, n).Select(_ => lo + (float)(rng.NextDouble() * (hi - lo))).ToArray(), dims);
    }

    public static Dictionary<string, DataValue> Feeds(params (string Name, DataValue Value)[] feeds) =>
        feeds.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);

    public static Tensor<long> Longs(params long[] values) => Tensor.Create(values, values.Length);
}
