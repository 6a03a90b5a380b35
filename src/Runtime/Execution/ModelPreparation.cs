using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer;

namespace OpenAutoGlm.Runtime;

/// <summary>
/// The provider-aware half of session creation, shared with <c>autoglm optimize</c>: validate and sort, infer
/// shapes (folding shape computations on the host provider), run the optimizer with a <see cref="PassContext"/>
/// built from the providers, then sort and infer again so new values have types.
/// </summary>
public static class ModelPreparation
{
    /// <summary>The optimizer's context for these providers: constant evaluator on the host provider, capability query over all.</summary>
    public static PassContext CreatePassContext(Model model, IReadOnlyList<IExecutionProvider> providers) => new()
    {
        Evaluator = ProviderConstantEvaluator.For(providers),
        CanRun = ConstantFolding.CreateCanRun(model, providers),
    };

    public static (ShapeInferenceReport Shapes, OptimizationReport Optimization) Optimize(
        Model model, IReadOnlyList<IExecutionProvider> providers, OptimizationLevel level, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        GraphOrder.ValidateAndSort(model.Graph);
        var shapeOptions = new ShapeInferenceOptions { ConstantEvaluator = ConstantFolding.CreateEvaluator(providers) };
        var shapes = ShapeInferencer.Run(model, shapeOptions);
        var report = PassManager.Default.Run(model, level, strict, CreatePassContext(model, providers));
        if (report.Passes.Count > 0)
        {
            GraphOrder.ValidateAndSort(model.Graph);
            shapes = ShapeInferencer.Run(model, shapeOptions);
        }

        return (shapes, report);
    }
}
