namespace OpenAutoGlm.Core;

/// <summary>Shape inference of GridSample, RoiAlign and MaxRoiPool.</summary>
public static class SamplingSchemas
{
    /// <summary>GridSample: X (N, C, D1..Dk) and grid (N, O1..Ok, k) give Y (N, C, O1..Ok) of X's type; k = 2 before opset 20.</summary>
    public static void InferGridSample(ShapeInferenceContext ctx)
    {
        var type = ctx.InputElementType(0);
        var x = ctx.InputShape(0);
        var grid = ctx.InputShape(1);
        bool legacy = ctx.Opset < 20;
        if (x is not null && (legacy ? x.Rank != 4 : x.Rank < 3))
        {
            throw ctx.Error($"X must be {(legacy ? "4-D (N, C, H, W) before opset 20" : "(N, C, D1, ..., Dk)")}, got shape {x}");
        }

        if (grid is not null && x is not null && (grid.Rank != x.Rank || grid[^1].Value is long k && k != x.Rank - 2))
        {
            throw ctx.Error($"grid must be [N, out spatial dims..., {x.Rank - 2}] for X {x}, got shape {grid}");
        }

        if (grid is null)
        {
            ctx.SetOutput(0, type, x is null ? null : ShapeRules.UnknownDims(x.Rank));
            return;
        }

        var dims = new List<Dim> { x?[0] is { IsKnown: true } n ? n : grid[0], x?[1] ?? Dim.Unknown };
        dims.AddRange(grid.Skip(1).Take(grid.Rank - 2));
        ctx.SetOutput(0, type, new Shape(dims));
    }

    /// <summary>RoiAlign: (num_rois, C, output_height, output_width) of X's type; rois [num_rois, 4], batch_indices [num_rois].</summary>
    public static void InferRoiAlign(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        var rois = ctx.InputShape(1);
        var indices = ctx.InputShape(2);
        if (x is not null && x.Rank != 4)
        {
            throw ctx.Error($"X must be 4-D (N, C, H, W), got shape {x}");
        }

        if (rois is not null && (rois.Rank != 2 || rois[1].Value is long cols && cols != 4))
        {
            throw ctx.Error($"rois must be [num_rois, 4], got shape {rois}");
        }

        if (indices is not null && indices.Rank != 1)
        {
            throw ctx.Error($"batch_indices must be 1-D, got shape {indices}");
        }

        if (rois?[0].Value is long a && indices?[0].Value is long b && a != b)
        {
            throw ctx.Error($"rois has {a} rows but batch_indices has {b} values");
        }

        long height = ctx.Attributes.GetInt("output_height", 1);
        long width = ctx.Attributes.GetInt("output_width", 1);
        if (height < 1 || width < 1)
        {
            throw ctx.Error($"output_height ({height}) and output_width ({width}) must be positive");
        }

        Dim count = rois?[0] is { IsKnown: true } r ? r : indices?[0] ?? Dim.Unknown;
        ctx.SetOutput(0, ctx.InputElementType(0), new Shape(count, x?[1] ?? Dim.Unknown, height, width));
    }

    /// <summary>MaxRoiPool: (num_rois, C, pooled_shape[0], pooled_shape[1]) of X's type; rois [num_rois, 5].</summary>
    public static void InferMaxRoiPool(ShapeInferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        var rois = ctx.InputShape(1);
        long[] pooled = ctx.Attributes.GetInts("pooled_shape") ?? throw ctx.Error("required attribute 'pooled_shape' is missing");
        if (pooled.Length != 2 || pooled[0] < 1 || pooled[1] < 1)
        {
            throw ctx.Error($"pooled_shape must be two positive values (height, width), got [{string.Join(", ", pooled)}]");
        }

        if (x is not null && x.Rank != 4)
        {
            throw ctx.Error($"X must be 4-D (N, C, H, W), got shape {x}");
        }

        if (rois is not null && (rois.Rank != 2 || rois[1].Value is long cols && cols != 5))
        {
            throw ctx.Error($"rois must be [num_rois, 5], got shape {rois}");
        }

        ctx.SetOutput(0, ctx.InputElementType(0), new Shape(rois?[0] ?? Dim.Unknown, x?[1] ?? Dim.Unknown, pooled[0], pooled[1]));
    }
}
