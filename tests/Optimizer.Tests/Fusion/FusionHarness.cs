using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Optimizer.Tests.Fusion;

/// <summary>Runs fusion passes the way a session does (after shape inference, CPU provider claims) and checks outputs are kept.</summary>
internal static class FusionHarness
{
    /// <summary>A pass context whose CanRun asks the CPU provider, with input types from the graph.</summary>
    public static PassContext CpuContext(Model model)
    {
        var cpu = new CpuExecutionProvider();
        return new PassContext
        {
            CanRun = node => cpu.CanRun(new NodeQuery(node, model.OpsetFor(node.Domain), node.Inputs.Select(i => i.Length == 0 ? null : model.Graph.TypeOf(i)).ToList(), [])).IsSupported,
        };
    }

    public static void Prepare(Model model)
    {
        GraphOrder.ValidateAndSort(model.Graph);
        ShapeInferencer.Run(model, new ShapeInferenceOptions { ConstantEvaluator = ConstantFolding.CreateEvaluator([new CpuExecutionProvider()]) });
    }

    /// <summary>
    /// Runs <paramref name="build"/>'s model as is, then a fresh copy after shape inference and the passes, compares
    /// every output and returns the optimized model.
    /// </summary>
    public static Model Optimize(Func<Model> build, IGraphPass[] passes, (string Name, Tensor Value)[] feeds, double rtol = 1e-4, double atol = 1e-5)
    {
        var dataFeeds = feeds.Select(f => (f.Name, (DataValue)f.Value)).ToArray();
        var expected = GraphBuilder.Run(build(), dataFeeds);
        var model = build();
        Prepare(model);
        var context = CpuContext(model);
        foreach (var pass in passes)
        {
            pass.Apply(model, context);
        }

        var actual = GraphBuilder.Run(model, dataFeeds);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected)
        {
            TensorAssert.Close((Tensor)value, (Tensor)actual[name], rtol, atol);
        }

        return model;
    }

    /// <summary>Applies one pass to a prepared model; returns whether it reported a change.</summary>
    public static bool ApplyOnly(Model model, IGraphPass pass)
    {
        Prepare(model);
        return pass.Apply(model, CpuContext(model));
    }

    public static int Count(Model model, string opType, string domain = OpSchemas.AutoGlmDomain) =>
        model.Graph.Nodes.Count(n => n.OpType == opType && n.Domain == Node.NormalizeDomain(domain));

    public static string Ops(Model model) => string.Join(",", model.Graph.Nodes.Select(n => n.OpType));

    public static Tensor<float> Random(int seed, params int[] dims)
    {
        var rng = new Random(seed);
        int n = dims.Aggregate(1, (a, b) => a * b);
        return Tensor.Create(Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 4) - 2)).ToArray(), dims);
    }

    /// <summary>Asserts the pass leaves the model unchanged (same ops in the same order) and reports no change.</summary>
    public static void AssertUnchanged(Func<Model> build, IGraphPass pass)
    {
        var before = build();
        Prepare(before);
        var model = build();
        Assert.False(ApplyOnly(model, pass));
        Assert.Equal(Ops(before), Ops(model));
    }
}
