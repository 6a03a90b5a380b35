using OpenAutoGlm.Core;

namespace OpenAutoGlm.Optimizer;

/// <summary>A named rewrite of a model's graph at one level. Returns whether it changed anything.</summary>
public interface IGraphPass
{
    string Name { get; }

    OptimizationLevel Level { get; }

    bool Apply(Model model, PassContext context);
}
