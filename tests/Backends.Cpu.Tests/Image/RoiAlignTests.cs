using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Image;

[OpTest("RoiAlign")]
public sealed class RoiAlignTests
{
    // 4x4 ramp f(h, w) = 4h + w: bilinear interpolation reproduces it, so a bin's average is f at its mean sample point.
    private static readonly Tensor<float> s_ramp = Tensor.Create(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), 1, 1, 4, 4);

    [Fact]
    public void OutputHalfPixelAveragesSamplePoints()
    {
        // Roi [0, 0, 3, 3], one bin, 2x2 samples at 0.75 and 2.25 per axis: mean point (1.5, 1.5) -> 7.5.
        var result = Run(s_ramp, [0, 0, 3, 3], [0], 1, 1, sampling: 2, coordinates: "output_half_pixel");
        TensorAssert.Close(new[] { 7.5f }, [1, 1, 1, 1], result);
    }

    [Fact]
    public void HalfPixelShiftsAndClampsBelowZero()
    {
        // Roi [0, 0, 3, 3] - 0.5: samples at 0.25, 1.75 -> mean (1, 1) -> 5.
        TensorAssert.Close(new[] { 5f }, [1, 1, 1, 1], Run(s_ramp, [0, 0, 3, 3], [0], 1, 1, sampling: 2));

        // Roi [0, 0, 1, 1] - 0.5: samples at -0.25 (clamped to 0) and 0.25 -> mean 0.125 per axis -> 4 * 0.125 + 0.125.
        TensorAssert.Close(new[] { 0.625f }, [1, 1, 1, 1], Run(s_ramp, [0, 0, 1, 1], [0], 1, 1, sampling: 2));
    }

    [Fact]
    public void TwoByTwoBinsOverTheWholeImage()
    {
        // output_half_pixel roi [0, 0, 4, 4] into 2x2 bins of 2x2 pixels, one sample each at the bin centre (1 or 3).
        var result = Run(s_ramp, [0, 0, 4, 4], [0], 2, 2, sampling: 1, coordinates: "output_half_pixel");
        TensorAssert.Close(new[] { 5f, 7f, 13f, 15f }, [1, 1, 2, 2], result);
    }

    [Theory]
    [InlineData(2, 0.75f)]
    [InlineData(0, 1.25f)]
    public void SamplingRatioAndAdaptiveGrid(long sampling, float expected)
    {
        // One row [0, 1, 2, 3]; roi x in [0, 6] (output_half_pixel, height widened to 1), one bin.
        // sampling 2: x = 1.5 -> 1.5 and x = 4.5 (> W = 4) -> 0, averaged over 2x2 points -> 0.75.
        // adaptive: ceil(6) x ceil(1) = 6 points x = 0.5 .. 5.5 -> 0.5, 1.5, 2.5, 3 (clamped), 0, 0 -> 7.5 / 6 = 1.25.
        var x = Tensor.Create(new[] { 0f, 1f, 2f, 3f }, 1, 1, 1, 4);
        TensorAssert.Close(new[] { expected }, [1, 1, 1, 1], Run(x, [0, 0, 6, 0], [0], 1, 1, sampling, coordinates: "output_half_pixel"));
    }

    [Fact]
    public void MaxModeTakesTheLargestWeightedCorner()
    {
        // One sample at (0.5, 0.5) of [[1, 2], [3, 4]]: corner weights 0.25 each -> max(0.25, 0.5, 0.75, 1) = 1
        // (ONNX reference semantics), while avg gives the interpolated 2.5.
        var x = Tensor.Create(new[] { 1f, 2f, 3f, 4f }, 1, 1, 2, 2);
        var max = Run(x, [0, 0, 1, 1], [0], 1, 1, sampling: 1, coordinates: "output_half_pixel", mode: "max");
        var avg = Run(x, [0, 0, 1, 1], [0], 1, 1, sampling: 1, coordinates: "output_half_pixel", mode: "avg");
        TensorAssert.Close(new[] { 1f }, [1, 1, 1, 1], max);
        TensorAssert.Close(new[] { 2.5f }, [1, 1, 1, 1], avg);
    }

    [Fact]
    public void BatchIndicesSelectTheImageAndSpatialScaleMapsTheRoi()
    {
        // Two images (second = first + 100) and two channels (second = first * 2); the roi is given at twice the scale.
        var data = new float[2 * 2 * 16];
        for (int n = 0; n < 2; n++)
        {
            for (int c = 0; c < 2; c++)
            {
                for (int i = 0; i < 16; i++)
                {
                    data[(((n * 2) + c) * 16) + i] = (i + (100 * n)) * (c + 1);
                }
            }
        }

        var x = Tensor.Create(data, 2, 2, 4, 4);
        var result = new OpTester("RoiAlign", 16).Input(x).Input(Tensor.Create(new[] { 0f, 0f, 6f, 6f, 0f, 0f, 6f, 6f }, 2, 4)).Input(Tensor.Create(new[] { 1L, 0L }, 2))
            .Attr("spatial_scale", 0.5f).Attr("sampling_ratio", 2L).Attr("coordinate_transformation_mode", "output_half_pixel").RunSingle();

        // Roi [0, 0, 3, 3] as in OutputHalfPixelAveragesSamplePoints: 7.5 on image 0, 107.5 on image 1; channel 1 doubles.
        TensorAssert.Close(new[] { 107.5f, 215f, 7.5f, 15f }, [2, 2, 1, 1], result);
    }

    [Fact]
    public void Opset10HasNoHalfPixelShift()
    {
        var result = new OpTester("RoiAlign", 10).Input(s_ramp).Input(Tensor.Create(new[] { 0f, 0f, 3f, 3f }, 1, 4)).Input(Tensor.Create(new[] { 0L }, 1))
            .Attr("sampling_ratio", 2L).RunSingle();
        TensorAssert.Close(new[] { 7.5f }, [1, 1, 1, 1], result);
    }

    [Fact]
    public void AdaptiveGridOverAHugeRoiIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(s_ramp, [-1e30f, -1e30f, 1e30f, 1e30f], [0], 5, 5, sampling: 0));
        Assert.Contains("sampling_ratio", ex.Message);
    }

    [Fact]
    public void BatchIndexOutOfRangeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(s_ramp, [0, 0, 3, 3], [1], 1, 1, sampling: 2));
        Assert.Contains("batch_indices[0] = 1", ex.Message);
    }

    [Fact]
    public void NegativeBatchIndexIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(s_ramp, [0, 0, 3, 3], [-1], 1, 1, sampling: 2));
        Assert.Contains("batch_indices", ex.Message);
    }

    [Fact]
    public void RoisWithFiveColumnsIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("RoiAlign", 16).Input(s_ramp).Input(new Tensor<float>([1, 5])).Input(Tensor.Create(new[] { 0L }, 1)).RunSingle());
        Assert.Contains("rois", ex.Message);
    }

    [Fact]
    public void RoiCountMismatchIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("RoiAlign", 16).Input(s_ramp).Input(new Tensor<float>([2, 4])).Input(Tensor.Create(new[] { 0L }, 1)).RunSingle());
        Assert.Contains("batch_indices", ex.Message);
    }

    [Fact]
    public void UnknownModeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(s_ramp, [0, 0, 3, 3], [0], 1, 1, sampling: 2, mode: "sum"));
        Assert.Contains("mode", ex.Message);
    }

    private static Tensor Run(Tensor<float> x, float[] roi, long[] batchIndices, long height, long width, long sampling, string coordinates = "half_pixel", string mode = "avg") =>
        new OpTester("RoiAlign", 16).Input(x).Input(Tensor.Create(roi, roi.Length / 4, 4)).Input(Tensor.Create(batchIndices, batchIndices.Length))
            .Attr("output_height", height).Attr("output_width", width).Attr("sampling_ratio", sampling)
            .Attr("coordinate_transformation_mode", coordinates).Attr("mode", mode).RunSingle();
}
