using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Misc;

[OpTest("NonMaxSuppression")]
public sealed class NonMaxSuppressionTests
{
    // Six unit boxes: 0-2 overlap heavily around y = 0, 3-4 around y = 10, 5 alone at y = 100 (ONNX test layout).
    private static readonly Tensor<float> s_boxes = Tensor.Create(new[]
    {
        0f, 0f, 1f, 1f,
        0f, 0.1f, 1f, 1.1f,
        0f, -0.1f, 1f, 0.9f,
        0f, 10f, 1f, 11f,
        0f, 10.1f, 1f, 11.1f,
        0f, 100f, 1f, 101f,
    }, 1, 6, 4);

    private static readonly Tensor<float> s_scores = Tensor.Create(new[] { 0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f }, 1, 1, 6);

    [Fact]
    public void SuppressesOverlapsInScoreOrder()
    {
        var result = Run(s_boxes, s_scores, 3, 0.5f, 0f);
        Assert.Equal(new long[] { 0, 0, 3, 0, 0, 0, 0, 0, 5 }, result.ToInt64Array());
        Assert.Equal(new[] { 3, 3 }, result.DimsArray());
    }

    [Fact]
    public void ScoreThresholdAndLimit()
    {
        Assert.Equal(new long[] { 0, 0, 3, 0, 0, 0 }, Run(s_boxes, s_scores, 3, 0.5f, 0.4f).ToInt64Array());
        Assert.Equal(new long[] { 0, 0, 3 }, Run(s_boxes, s_scores, 1, 0.5f, 0f).ToInt64Array());
        Assert.Equal(new[] { 0, 3 }, Run(s_boxes, s_scores, 0, 0.5f, 0f).DimsArray());
    }

    [Fact]
    public void CenterPointFormatAndFlippedCorners()
    {
        // The same boxes as [x_c, y_c, w, h] and with the corner diagonal flipped give the same selection.
        var center = new Tensor<float>([1, 6, 4]);
        var flipped = new Tensor<float>([1, 6, 4]);
        for (int i = 0; i < 6; i++)
        {
            float y1 = s_boxes[(i * 4) + 0], x1 = s_boxes[(i * 4) + 1], y2 = s_boxes[(i * 4) + 2], x2 = s_boxes[(i * 4) + 3];
            center[(i * 4) + 0] = (x1 + x2) / 2;
            center[(i * 4) + 1] = (y1 + y2) / 2;
            center[(i * 4) + 2] = x2 - x1;
            center[(i * 4) + 3] = y2 - y1;
            flipped[(i * 4) + 0] = y2;
            flipped[(i * 4) + 1] = x2;
            flipped[(i * 4) + 2] = y1;
            flipped[(i * 4) + 3] = x1;
        }

        var expected = new long[] { 0, 0, 3, 0, 0, 0, 0, 0, 5 };
        Assert.Equal(expected, Run(center, s_scores, 3, 0.5f, 0f, centerPoint: true).ToInt64Array());
        Assert.Equal(expected, Run(flipped, s_scores, 3, 0.5f, 0f).ToInt64Array());
    }

    [Fact]
    public void MismatchedScoresAreAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(s_boxes, new Tensor<float>([1, 1, 5]), 3, 0.5f, 0f));
        Assert.Contains("scores", ex.Message);
    }

    private static Tensor Run(Tensor boxes, Tensor scores, long max, float iou, float score, bool centerPoint = false) =>
        new OpTester("NonMaxSuppression", 11)
            .Input(boxes).Input(scores)
            .Input(Tensor.Create(new[] { max }, 1)).Input(Tensor.Create(new[] { iou }, 1)).Input(Tensor.Create(new[] { score }, 1))
            .Attr("center_point_box", centerPoint ? 1L : 0L)
            .RunSingle();
}
