namespace OpenAutoGlm.Core;

/// <summary>Tile: output dim i = input dim i * repeats[i] (opset 6+); opset 1 repeats one axis by a scalar count.</summary>
public static class TileSchema
{
    public static void Infer(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var input = ctx.InputShape(0);
        if (input is null)
        {
            ctx.SetOutput(0, type, null);
            return;
        }

        long[]? repeats = TransformShapes.ConstantInts(ctx, 1);
        if (ctx.Opset < 6)
        {
            long[]? axis = TransformShapes.ConstantInts(ctx, 2);
            repeats = repeats is { Length: 1 } && axis is { Length: 1 } ? LegacyRepeats(repeats[0], axis[0], input.Rank, ctx.Error) : null;
        }

        if (repeats is null)
        {
            ctx.SetOutput(0, type, ShapeRules.UnknownDims(input.Rank));
            return;
        }

        CheckRepeats(repeats, input.Rank, ctx.Error);
        var dims = new Dim[input.Rank];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = repeats[i] == 1 ? input[i] : input[i].Value is long v ? v * repeats[i] : repeats[i] == 0 ? 0 : Dim.Unknown;
        }

        ctx.SetOutput(0, type, new Shape(dims));
    }

    /// <summary>Tile-1's (tiles, axis) as per-axis repeats.</summary>
    public static long[] LegacyRepeats(long tiles, long axis, int rank, Func<string, Exception> error)
    {
        var repeats = Enumerable.Repeat(1L, rank).ToArray();
        repeats[TransformShapes.NormalizeAxis(axis, rank, error)] = tiles;
        return repeats;
    }

    public static void CheckRepeats(long[] repeats, int rank, Func<string, Exception> error)
    {
        if (repeats.Length != rank)
        {
            throw error($"repeats {TransformShapes.FormatLongs(repeats)} has {repeats.Length} entries but the input has rank {rank}");
        }

        if (repeats.Any(r => r < 0))
        {
            throw error($"repeats {TransformShapes.FormatLongs(repeats)} has a negative entry");
        }
    }
}
