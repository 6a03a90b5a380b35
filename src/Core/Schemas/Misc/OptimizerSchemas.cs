namespace OpenAutoGlm.Core;

/// <summary>
/// Shape inference of the training optimizers (ai.onnx.preview.training Adagrad, Momentum, Adam): inputs are
/// R, T, then blocks X..., G..., state... of n tensors each; outputs are X_new... then the updated state blocks,
/// each shaped like its input.
/// </summary>
public static class OptimizerSchemas
{
    public static void InferAdagrad(ShapeInferenceContext ctx) => Infer(ctx, stateBlocks: 1);

    public static void InferMomentum(ShapeInferenceContext ctx) => Infer(ctx, stateBlocks: 1);

    public static void InferAdam(ShapeInferenceContext ctx) => Infer(ctx, stateBlocks: 2);

    private static void Infer(ShapeInferenceContext ctx, int stateBlocks)
    {
        int blocks = 2 + stateBlocks;
        int n = (ctx.InputCount - 2) / blocks;
        if (n < 1 || ctx.InputCount != 2 + (blocks * n) || ctx.OutputCount != (1 + stateBlocks) * n)
        {
            throw ctx.Error($"expected 2 + {blocks}n inputs and {1 + stateBlocks}n outputs, got {ctx.InputCount} inputs and {ctx.OutputCount} outputs");
        }

        for (int k = 0; k < ctx.OutputCount; k++)
        {
            int block = k / n;
            ctx.SetOutput(k, ctx.InputType(2 + ((block == 0 ? 0 : block + 1) * n) + (k % n)));
        }
    }
}
