using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer;

/// <summary>Which passes fired and how the graph changed.</summary>
public sealed class OptimizationReport
{
    public List<string> PassesApplied { get; } = [];

    public List<string> PassErrors { get; } = [];

    public int NodesBefore { get; set; }

    public int NodesAfter { get; set; }
}

/// <summary>
/// Runs passes up to a level. A pass that throws is reported and its change discarded (the pass works on a
/// copy only when it declares so; today's passes validate before mutating), unless strict.
/// </summary>
public sealed class PassManager
{
    private readonly List<IGraphPass> _passes;

    public PassManager(IEnumerable<IGraphPass> passes)
    {
        _passes = passes.ToList();
    }

    /// <summary>The built-in passes, in order.</summary>
    public static PassManager Default => new(
    [
        new Passes.EliminateIdentity(),
        new Passes.EliminateDeadNodes(),
        new Passes.Fusion.FuseLayerNormalization(),
        new Passes.Fusion.FuseRmsNormalization(),
        new Passes.Fusion.FuseGelu(),
        new Passes.Fusion.FuseAttention(),
        new Passes.Fusion.FuseSkipLayerNormalization(),
        new Passes.Fusion.FuseMatMulBiasActivation(),
        new Passes.Fusion.FuseRepVgg(),
        new Passes.Fusion.FuseConvActivation(),
    ]);

    public IReadOnlyList<IGraphPass> Passes => _passes;

    public OptimizationReport Run(Model model, OptimizationLevel level, bool strict = false, PassContext? context = null)
    {
        var report = new OptimizationReport { NodesBefore = model.Graph.CountNodesRecursive() };
        foreach (var pass in _passes)
        {
            if (pass.Level > level || level == OptimizationLevel.None)
            {
                continue;
            }

            try
            {
                if (pass.Apply(model, context ?? PassContext.Empty))
                {
                    report.PassesApplied.Add(pass.Name);
                }
            }
            catch (AutoGlmException ex) when (!strict)
            {
                report.PassErrors.Add($"{pass.Name}: {ex.Message}");
            }
        }

        report.NodesAfter = model.Graph.CountNodesRecursive();
        return report;
    }
}
