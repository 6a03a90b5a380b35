using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Backends.Cpu.Kernels.Misc;

/// <summary>
/// NonMaxSuppression: per (batch, class), greedily keeps the highest-scoring boxes with score > score_threshold whose
/// IoU with every kept box is &lt;= iou_threshold, at most max_output_boxes_per_class of them; outputs
/// [batch, class, box] triples (https://onnx.ai/onnx/operators/onnx__NonMaxSuppression.html).
/// </summary>
internal sealed class NonMaxSuppression : IKernel
{
    private readonly bool _centerPoint;

    public NonMaxSuppression(KernelCreationContext context)
    {
        long format = context.Attributes.GetInt("center_point_box", 0);
        _centerPoint = format switch
        {
            0 => false,
            1 => true,
            _ => throw context.Error($"center_point_box must be 0 or 1, got {format}"),
        };
    }

    public void Compute(KernelContext context)
    {
        var boxesTensor = context.Input(0);
        var scoresTensor = context.Input(1);
        if (boxesTensor.Rank != 3 || boxesTensor.Dims[2] != 4)
        {
            throw context.Error($"boxes must be [num_batches, spatial_dimension, 4], got shape {boxesTensor.ShapeString}");
        }

        int batches = boxesTensor.Dims[0];
        int count = boxesTensor.Dims[1];
        if (scoresTensor.Rank != 3 || scoresTensor.Dims[0] != batches || scoresTensor.Dims[2] != count)
        {
            throw context.Error($"scores must be [{batches}, num_classes, {count}] to match boxes {boxesTensor.ShapeString}, got shape {scoresTensor.ShapeString}");
        }

        int classes = scoresTensor.Dims[1];
        long maxPerClass = context.OptionalInput(2) is { Length: > 0 } m ? m.ToInt64Array()[0] : 0;
        float iouThreshold = context.OptionalInput(3) is { Length: > 0 } iou ? (float)iou.ToDoubleArray()[0] : 0f;
        float? scoreThreshold = context.OptionalInput(4) is { Length: > 0 } st ? (float)st.ToDoubleArray()[0] : null;
        if (iouThreshold is < 0 or > 1)
        {
            throw context.Error($"iou_threshold {iouThreshold} is outside [0, 1]");
        }

        double[] boxes = boxesTensor.ToDoubleArray();
        double[] scores = scoresTensor.ToDoubleArray();
        var selected = new List<long>();
        var kept = new List<int>();
        for (int b = 0; b < batches; b++)
        {
            for (int c = 0; c < classes; c++)
            {
                int scoreBase = ((b * classes) + c) * count;
                var candidates = Enumerable.Range(0, count)
                    .Where(i => scoreThreshold is not float t || scores[scoreBase + i] > t)
                    .OrderByDescending(i => scores[scoreBase + i])
                    .ThenBy(i => i)
                    .ToList();
                kept.Clear();
                foreach (int i in candidates)
                {
                    if (kept.Count >= maxPerClass)
                    {
                        break;
                    }

                    if (kept.TrueForAll(k => Iou(boxes, (b * count) + k, (b * count) + i) <= iouThreshold))
                    {
                        kept.Add(i);
                        selected.AddRange([b, c, i]);
                    }
                }
            }
        }

        selected.ToArray().CopyTo(context.Output<long>(0, [selected.Count / 3, 3]).Span);
    }

    private double Iou(double[] boxes, int a, int b)
    {
        var (ay1, ax1, ay2, ax2) = Corners(boxes, a);
        var (by1, bx1, by2, bx2) = Corners(boxes, b);
        double areaA = (ay2 - ay1) * (ax2 - ax1);
        double areaB = (by2 - by1) * (bx2 - bx1);
        if (areaA <= 0 || areaB <= 0)
        {
            return 0;
        }

        double h = Math.Max(0, Math.Min(ay2, by2) - Math.Max(ay1, by1));
        double w = Math.Max(0, Math.Min(ax2, bx2) - Math.Max(ax1, bx1));
        double intersection = h * w;
        return intersection / (areaA + areaB - intersection);
    }

    // (y_min, x_min, y_max, x_max): corner boxes may list either diagonal; center boxes are [x_c, y_c, w, h].
    private (double Y1, double X1, double Y2, double X2) Corners(double[] boxes, int box)
    {
        int o = box * 4;
        if (_centerPoint)
        {
            double xc = boxes[o], yc = boxes[o + 1], w = boxes[o + 2], h = boxes[o + 3];
            return (yc - (h / 2), xc - (w / 2), yc + (h / 2), xc + (w / 2));
        }

        return (Math.Min(boxes[o], boxes[o + 2]), Math.Min(boxes[o + 1], boxes[o + 3]), Math.Max(boxes[o], boxes[o + 2]), Math.Max(boxes[o + 1], boxes[o + 3]));
    }
}
