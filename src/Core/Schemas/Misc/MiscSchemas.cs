namespace OpenAutoGlm.Core;

/// <summary>Shape inference of NonMaxSuppression, Det, StringNormalizer and TfIdfVectorizer.</summary>
public static class MiscSchemas
{
    /// <summary>NonMaxSuppression: selected_indices [num_selected, 3] int64 (batch, class, box).</summary>
    public static void InferNonMaxSuppression(ShapeInferenceContext ctx)
    {
        var boxes = ctx.InputShape(0);
        var scores = ctx.InputShape(1);
        if (boxes is not null && (boxes.Rank != 3 || boxes[2].Value is long c && c != 4))
        {
            throw ctx.Error($"boxes must be [num_batches, spatial_dimension, 4], got shape {boxes}");
        }

        if (scores is not null && scores.Rank != 3)
        {
            throw ctx.Error($"scores must be [num_batches, num_classes, spatial_dimension], got shape {scores}");
        }

        ctx.SetOutput(0, DataType.Int64, new Shape(Dim.Unknown, 3));
    }

    /// <summary>Det: input [*, M, M] -> [*].</summary>
    public static void InferDet(ShapeInferenceContext ctx)
    {
        var shape = ctx.InputShape(0);
        if (shape is null)
        {
            ctx.SetOutput(0, ctx.InputElementType(0), null);
            return;
        }

        if (shape.Rank < 2 || (shape[^1].Value is long a && shape[^2].Value is long b && a != b))
        {
            throw ctx.Error($"input must be [*, M, M] (square matrices), got shape {shape}");
        }

        ctx.SetOutput(0, ctx.InputElementType(0), new Shape(shape.Take(shape.Rank - 2)));
    }

    /// <summary>StringNormalizer: [C] or [1, C] strings; the number of kept strings is unknown unless there are no stopwords.</summary>
    public static void InferStringNormalizer(ShapeInferenceContext ctx)
    {
        var shape = ctx.InputShape(0);
        if (shape is null)
        {
            ctx.SetOutput(0, DataType.String, null);
            return;
        }

        if (shape.Rank is not (1 or 2) || (shape.Rank == 2 && shape[0].Value is long n && n != 1))
        {
            throw ctx.Error($"input must be [C] or [1, C], got shape {shape}");
        }

        bool keepsAll = (ctx.Attributes.GetStrings("stopwords") ?? []).Length == 0 && shape[^1].Value is > 0;
        var dims = shape.ToList();
        dims[^1] = keepsAll ? shape[^1] : Dim.Unknown;
        ctx.SetOutput(0, DataType.String, new Shape(dims));
    }

    /// <summary>TfIdfVectorizer: float32 [max(ngram_indexes) + 1] or [N, max(ngram_indexes) + 1].</summary>
    public static void InferTfIdfVectorizer(ShapeInferenceContext ctx)
    {
        long[] indexes = ctx.Attributes.GetInts("ngram_indexes") ?? throw ctx.Error("required attribute 'ngram_indexes' is missing");
        long width = indexes.Length == 0 ? 0 : indexes.Max() + 1;
        var shape = ctx.InputShape(0);
        if (shape is null)
        {
            ctx.SetOutput(0, DataType.Float32, null);
            return;
        }

        ctx.SetOutput(0, DataType.Float32, shape.Rank switch
        {
            1 => new Shape(width),
            2 => new Shape(shape[0], width),
            _ => throw ctx.Error($"input must be [C] or [N, C], got shape {shape}"),
        });
    }
}
