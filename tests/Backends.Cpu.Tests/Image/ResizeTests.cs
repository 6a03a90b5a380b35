using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Image;

[OpTest("Resize")]
[OpTest("Upsample")]
public sealed class ResizeTests
{
    private static readonly Tensor<float> s_x = Tensor.Create(new[] { 1f, 2f, 3f, 4f }, 1, 1, 2, 2);

    [Fact]
    public void NearestUpsampleByScales()
    {
        // half_pixel + round_prefer_floor: output x -> (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> 0, 0, 1, 1.
        var result = Run(s_x, "nearest", scales: [1, 1, 2, 2]);
        TensorAssert.Close(new[] { 1f, 1f, 2f, 2f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 3f, 3f, 4f, 4f }, [1, 1, 4, 4], result);
    }

    [Fact]
    public void LinearAlignCornersBySizes()
    {
        // align_corners on a 1x3 -> 1x5 row [0, 10, 20]: x_orig = x * 2 / 4 -> 0, 5, 10, 15, 20.
        var x = Tensor.Create(new[] { 0f, 10f, 20f }, 1, 3);
        var result = Run(x, "linear", sizes: [1, 5], coordinates: "align_corners");
        TensorAssert.Close(new[] { 0f, 5f, 10f, 15f, 20f }, [1, 5], result);
    }

    [Fact]
    public void LinearHalfPixelClampsAtTheEdges()
    {
        // 1-D [0, 10] upsampled x2: x_orig = -0.25, 0.25, 0.75, 1.25 -> 0, 2.5, 7.5, 10.
        var result = Run(Tensor.Create(new[] { 0f, 10f }, 2), "linear", scales: [2]);
        TensorAssert.Close(new[] { 0f, 2.5f, 7.5f, 10f }, [4], result);
    }

    [Fact]
    public void CubicKeepsLinearFunctionsAwayFromEdges()
    {
        // Cubic convolution (a = -0.75) reproduces a linear ramp where all four taps are inside.
        var x = Tensor.Create(Enumerable.Range(0, 8).Select(i => (float)i).ToArray(), 8);
        var result = Run(x, "cubic", sizes: [16], coordinates: "asymmetric").ToDoubleArray();
        for (int i = 4; i < 10; i++)
        {
            Assert.Equal(i / 2.0, result[i], 1e-5);
        }
    }

    [Fact]
    public void TfCropAndResizeExtrapolates()
    {
        var x = Tensor.Create(new[] { 0f, 10f, 20f, 30f }, 4);
        var result = new OpTester("Resize", 13).Input(x).Input(Tensor.Create(new[] { 0.5f, 1.5f }, 2)).Input(null).Input(Tensor.Create(new[] { 3L }, 1))
            .Attr("mode", "linear").Attr("coordinate_transformation_mode", "tf_crop_and_resize").Attr("extrapolation_value", -1f).RunSingle();

        // x_orig = 1.5 + x * 3 / 2 -> 1.5, 3, 4.5 (outside [0, 3]).
        TensorAssert.Close(new[] { 15f, 30f, -1f }, [3], result);
    }

    [Fact]
    public void UpsampleOpset9NearestFloor()
    {
        var result = new OpTester("Upsample", 9).Input(s_x).Input(Tensor.Create(new[] { 1f, 1f, 2f, 3f }, 4)).Attr("mode", "nearest").RunSingle();
        TensorAssert.Close(new[] { 1f, 1f, 1f, 2f, 2f, 2f, 1f, 1f, 1f, 2f, 2f, 2f, 3f, 3f, 3f, 4f, 4f, 4f, 3f, 3f, 3f, 4f, 4f, 4f }, [1, 1, 4, 6], result);
    }

    [Fact]
    public void WrongScaleCountIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(s_x, "nearest", scales: [2, 2]));
        Assert.Contains("scales", ex.Message);
    }

    private static Tensor Run(Tensor x, string mode, float[]? scales = null, long[]? sizes = null, string coordinates = "half_pixel")
    {
        var tester = new OpTester("Resize", 13).Input(x).Input(null)
            .Input(scales is null ? null : Tensor.Create(scales, scales.Length))
            .Input(sizes is null ? null : Tensor.Create(sizes, sizes.Length))
            .Attr("mode", mode).Attr("coordinate_transformation_mode", coordinates);
        return tester.RunSingle();
    }
}
