using OpenAutoGlm.Optimizer.Passes;

namespace OpenAutoGlm.Optimizer;

/// <summary>The built-in passes in the order <see cref="PassManager.Default"/> runs them.</summary>
public static class BuiltInPasses
{
    public static List<IGraphPass> Create() =>
    [
        // Basic: provider-independent, semantics-preserving clean-ups and folds.
        new EliminateIdentity(),
        new EliminateDeadNodes(),
        new FoldStaticShapes(),
        new FoldConstants(),
        new EliminateCommonSubexpressions(),
        new EliminateRedundantCasts(),
        new FuseReshapeChains(),
        new FuseTransposeChains(),
        new EliminateSqueezeUnsqueeze(),
        new FoldConvBatchNorm(),
        new FoldMatMulBatchNorm(),
        new DecomposeBatchNorm(),
        new FoldConvMulAdd(),
        new FuseMatMulAddToGemm(),

        // Folds and fusions leave producers and initializers behind.
        new EliminateDeadNodes(),

        // Extended: fusions into ops a provider of the session claims (docs/ops.md).
        new Passes.Fusion.FuseLayerNormalization(),
        new Passes.Fusion.FuseRmsNormalization(),
        new Passes.Fusion.FuseGelu(),
        new Passes.Fusion.FuseAttention(),
        new Passes.Fusion.FuseSkipLayerNormalization(),
        new Passes.Fusion.FuseMatMulBiasActivation(),
        new Passes.Fusion.FuseRepVgg(),
        new Passes.Fusion.FuseConvActivation(),

        // Layout: transposes pushed below elementwise ops meet and cancel or compose.
        new PushTransposesDown(),
        new FuseTransposeChains(OptimizationLevel.Layout),
        new EliminateDeadNodes(),

        // Layout: convolution chains in the blocked channel layout (last: it reads the fused graph).
        new Passes.Layout.ConvertToNchwc(),
        new Passes.Layout.MergeParallelConvs(),
        new Passes.Layout.FuseExpandDepthwise(),
    ];
}
