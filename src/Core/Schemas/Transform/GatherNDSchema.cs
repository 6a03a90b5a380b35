namespace OpenAutoGlm.Core;

/// <summary>GatherND: output = indices.shape[:-1] + data.shape[batch_dims + indices.shape[-1]:].</summary>
public static class GatherNDSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var data = ctx.InputShape(0);
        var indices = ctx.InputShape(1);
        if (data is null || indices is null || indices.Rank == 0 || indices[^1].Value is not long last)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        int batchDims = (int)ctx.Attributes.GetInt("batch_dims", 0);
        Check(data.Rank, indices.Rank, last, batchDims, ctx.Error);
        ctx.SetOutput(0, type, new Shape(indices.Take(indices.Rank - 1).Concat(data.Skip(batchDims + (int)last))));
    }

    /// <summary>Validates ranks: data and indices rank >= 1, batch_dims below both, index tuples fit the data rank.</summary>
    public static void Check(int dataRank, int indicesRank, long last, int batchDims, Func<string, Exception> error)
    {
        if (dataRank < 1 || indicesRank < 1)
        {
            throw error($"data and indices must have rank >= 1, got {dataRank} and {indicesRank}");
        }

        if (batchDims < 0 || batchDims >= Math.Min(dataRank, indicesRank))
        {
            throw error($"batch_dims {batchDims} must be in [0, {Math.Min(dataRank, indicesRank)}) for data rank {dataRank} and indices rank {indicesRank}");
        }

        if (last < 1 || last > dataRank - batchDims)
        {
            throw error($"indices.shape[-1] = {last} must be in [1, {dataRank - batchDims}] (data rank {dataRank} - batch_dims {batchDims})");
        }
    }
}
