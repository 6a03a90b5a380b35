using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Image;

[OpTest("MaxRoiPool")]
public sealed class MaxRoiPoolTests
{
    // 4x4 ramp 4h + w: the maximum of any block is its bottom-right pixel.
    private static readonly Tensor<float> s_ramp = Tensor.Create(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), 1, 1, 4, 4);

    [Fact]
    public void WholeImageIntoTwoByTwoBins()
    {
        // Roi [0, 0, 3, 3] is 4x4 pixels (inclusive end): bins of 2x2 -> maxima at (1, 1), (1, 3), (3, 1), (3, 3).
        var result = Run(s_ramp, [0, 0, 0, 3, 3], [2, 2]);
        TensorAssert.Close(new[] { 5f, 7f, 13f, 15f }, [1, 1, 2, 2], result);
    }

    [Fact]
    public void UnevenBinsOverlap()
    {
        // 4 columns into 3 bins of 4/3: [floor(0), ceil(4/3)) = [0, 2), [1, 3), [2, 4) -> row 3 maxima 13, 14, 15.
        var result = Run(s_ramp, [0, 0, 0, 3, 3], [1, 3]);
        TensorAssert.Close(new[] { 13f, 14f, 15f }, [1, 1, 1, 3], result);
    }

    [Fact]
    public void SpatialScaleRoundsHalfAwayFromZero()
    {
        // Roi [1, 1, 5, 3] * 0.5 = [0.5, 0.5, 2.5, 1.5] -> rounded [1, 1, 3, 2]: columns 1..3, rows 1..2 -> max f(2, 3) = 11.
        var result = Run(s_ramp, [0, 1, 1, 5, 3], [1, 1], 0.5f);
        TensorAssert.Close(new[] { 11f }, [1, 1, 1, 1], result);
    }

    [Fact]
    public void BinsOutsideTheImageAreZero()
    {
        // Roi [5, 5, 7, 7] lies past the 4x4 image: every clipped bin is empty.
        var x = Tensor.Create(Enumerable.Range(0, 16).Select(i => -1f - i).ToArray(), 1, 1, 4, 4);
        var result = Run(x, [0, 5, 5, 7, 7], [2, 2]);
        TensorAssert.Close(new[] { 0f, 0f, 0f, 0f }, [1, 1, 2, 2], result);
    }

    [Fact]
    public void MatchesNaiveOracleOnRandomData()
    {
        var rng = new Random(9);
        int n = 2;
        int c = 2;
        int h = 6;
        int w = 7;
        var data = Enumerable.Range(0, n * c * h * w).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] rois = [1, 0, 1, 6, 4, 0, 2, 2, 3, 5, 1, -1, -1, 8, 9];
        var result = Run(Tensor.Create(data, n, c, h, w), rois, [2, 3]).ToDoubleArray();
        int index = 0;
        for (int r = 0; r < 3; r++)
        {
            var roi = rois.AsSpan(r * 5, 5);
            int x1 = (int)Math.Round(roi[1], MidpointRounding.AwayFromZero);
            int y1 = (int)Math.Round(roi[2], MidpointRounding.AwayFromZero);
            int x2 = (int)Math.Round(roi[3], MidpointRounding.AwayFromZero);
            int y2 = (int)Math.Round(roi[4], MidpointRounding.AwayFromZero);
            for (int ch = 0; ch < c; ch++)
            {
                for (int ph = 0; ph < 2; ph++)
                {
                    for (int pw = 0; pw < 3; pw++)
                    {
                        // Oracle: a pixel (y, x) of the roi box belongs to bin (ph, pw) when its offset lies in the bin's
                        // real interval [ph * bh, (ph + 1) * bh) widened to whole pixels.
                        double bh = (y2 - y1 + 1) / 2.0;
                        double bw = (x2 - x1 + 1) / 3.0;
                        double best = double.NegativeInfinity;
                        for (int y = 0; y < h; y++)
                        {
                            for (int x = 0; x < w; x++)
                            {
                                int oy = y - y1;
                                int ox = x - x1;
                                bool inY = oy >= Math.Floor(ph * bh) && oy < Math.Ceiling((ph + 1) * bh);
                                bool inX = ox >= Math.Floor(pw * bw) && ox < Math.Ceiling((pw + 1) * bw);
                                if (inY && inX)
                                {
                                    best = Math.Max(best, data[((((int)roi[0] * c) + ch) * h * w) + (y * w) + x]);
                                }
                            }
                        }

                        Assert.Equal(double.IsNegativeInfinity(best) ? 0 : best, result[index++], 1e-6);
                    }
                }
            }
        }
    }

    [Fact]
    public void BatchIdOutOfRangeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(s_ramp, [1, 0, 0, 3, 3], [2, 2]));
        Assert.Contains("batch_id 1", ex.Message);
    }

    [Fact]
    public void MissingPooledShapeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("MaxRoiPool", 1).Input(s_ramp).Input(Tensor.Create(new[] { 0f, 0f, 0f, 1f, 1f }, 1, 5)).RunSingle());
        Assert.Contains("pooled_shape", ex.Message);
    }

    [Fact]
    public void RoisWithFourColumnsIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("MaxRoiPool", 1).Input(s_ramp).Input(new Tensor<float>([1, 4])).Attr("pooled_shape", new long[] { 1, 1 }).RunSingle());
        Assert.Contains("rois", ex.Message);
    }

    private static Tensor Run(Tensor<float> x, float[] rois, long[] pooled, float scale = 1f) =>
        new OpTester("MaxRoiPool", 1).Input(x).Input(Tensor.Create(rois, rois.Length / 5, 5)).Attr("pooled_shape", pooled).Attr("spatial_scale", scale).RunSingle();
}
