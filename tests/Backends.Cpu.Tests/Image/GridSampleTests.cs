using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Image;

[OpTest("GridSample")]
public sealed class GridSampleTests
{
    // X = [[1, 2], [3, 4]] as (1, 1, 2, 2).
    private static readonly Tensor<float> s_x = Tensor.Create(new[] { 1f, 2f, 3f, 4f }, 1, 1, 2, 2);

    [Fact]
    public void BilinearAlignCornersHitsCornersAndCentre()
    {
        // align_corners: -1 and 1 are the corner pixel centres; (0, 0) is the mean 2.5; (x=1, y=-1) is the top-right 2.
        var grid = Grid(-1, -1, 0, 0, 1, -1, 1, 1, -1, 0);
        var result = Run(s_x, grid, [1, 1, 5, 2], align: true);
        TensorAssert.Close(new[] { 1f, 2.5f, 2f, 4f, 2f }, [1, 1, 1, 5], result);
    }

    [Theory]
    [InlineData("zeros", 0.25f)]
    [InlineData("border", 1f)]
    [InlineData("reflection", 1f)]
    public void CornerWithoutAlignCornersDependsOnPadding(string padding, float expected)
    {
        // Without align_corners, g = -1 is the pixel edge u = -0.5: half a tap on row/column -1 and half on 0.
        // zeros: 0.25 * X[0, 0]; border and reflection read X[0, 0] for the outside taps.
        var result = Run(s_x, Grid(-1, -1), [1, 1, 1, 2], padding: padding);
        TensorAssert.Close(new[] { expected }, [1, 1, 1, 1], result);
    }

    [Fact]
    public void OutsideCoordinatesFollowThePaddingMode()
    {
        // 1-row ramp [0, 10, 20] (H = 1, W = 3), align_corners: u = g + 1 along x.
        var x = Tensor.Create(new[] { 0f, 10f, 20f }, 1, 1, 1, 3);

        // g = 1.5 -> u = 2.5: zeros reads 0.5 * 20 (tap 3 is zero); border clamps u to 2 -> 20; reflection mirrors at 2 -> 1.5 -> 15.
        // g = -3.5 -> u = -2.5: reflects at 0 to 2.5, then at 2 to 1.5 -> 15 (the spec's example).
        var grid = Grid(1.5, 0, -3.5, 0);
        TensorAssert.Close(new[] { 10f, 0f }, [1, 1, 1, 2], Run(x, grid, [1, 1, 2, 2], align: true, padding: "zeros"));
        TensorAssert.Close(new[] { 20f, 0f }, [1, 1, 1, 2], Run(x, grid, [1, 1, 2, 2], align: true, padding: "border"));
        TensorAssert.Close(new[] { 15f, 15f }, [1, 1, 1, 2], Run(x, grid, [1, 1, 2, 2], align: true, padding: "reflection"));
    }

    [Fact]
    public void NearestRoundsHalfToEven()
    {
        // Ramp [0, 10, 20, 30], align_corners: u = (g + 1) * 1.5 -> g = -1/3 gives u = 1.0, g = 0 gives u = 1.5 -> 2 (even),
        // g = -2/3 gives u = 0.5 -> 0 (even).
        var x = Tensor.Create(new[] { 0f, 10f, 20f, 30f }, 1, 1, 1, 4);
        var result = new OpTester("GridSample", 16).Input(x).Input(Grid(-1.0 / 3, 0, 0, 0, -2.0 / 3, 0))
            .Attr("mode", "nearest").Attr("align_corners", 1L).RunSingle();
        TensorAssert.Close(new[] { 10f, 20f, 0f }, [1, 1, 1, 3], result);
    }

    [Fact]
    public void BicubicMatchesTheConvolutionKernelSum()
    {
        // Oracle: y = sum over every pixel (i, j) of X[i, j] * W(v - i) * W(u - j) with the Keys kernel (a = -0.75)
        // W(s) = (a + 2)|s|^3 - (a + 3)|s|^2 + 1 for |s| <= 1, a|s|^3 - 5a|s|^2 + 8a|s| - 4a for 1 < |s| < 2, else 0;
        // pixels outside the image contribute nothing, which is zeros padding.
        var rng = new Random(12);
        int h = 5;
        int w = 6;
        var data = Enumerable.Range(0, h * w).Select(_ => rng.NextDouble()).ToArray();
        var grid = Enumerable.Range(0, 2 * 10).Select(_ => (rng.NextDouble() * 2.2) - 1.1).ToArray();
        var result = new OpTester("GridSample", 16).Input(Tensor.Create(data, 1, 1, h, w)).Input(Tensor.Create(grid, 1, 2, 5, 2)).Attr("mode", "bicubic").RunSingle().ToDoubleArray();
        for (int p = 0; p < 10; p++)
        {
            double u = (((grid[2 * p] + 1) * w) - 1) / 2;
            double v = (((grid[(2 * p) + 1] + 1) * h) - 1) / 2;
            double expected = 0;
            for (int i = 0; i < h; i++)
            {
                for (int j = 0; j < w; j++)
                {
                    expected += data[(i * w) + j] * Keys(v - i) * Keys(u - j);
                }
            }

            Assert.Equal(expected, result[p], 1e-12);
        }

        static double Keys(double s)
        {
            const double a = -0.75;
            s = Math.Abs(s);
            return s <= 1 ? ((a + 2) * s * s * s) - ((a + 3) * s * s) + 1
                : s < 2 ? (a * s * s * s) - (5 * a * s * s) + (8 * a * s) - (4 * a)
                : 0;
        }
    }

    [Fact]
    public void BicubicAtPixelCentresAndMidpoints()
    {
        // Ramp [0, 10, 20, 30, 40, 50], align_corners: u = 2.5 g + 2.5. At a pixel centre the Keys weights are (0, 1, 0, 0);
        // at u = 2.5 they are (-0.09375, 0.59375, 0.59375, -0.09375), which reproduce the ramp: 25.
        var x = Tensor.Create(new[] { 0f, 10f, 20f, 30f, 40f, 50f }, 1, 1, 1, 6);
        var result = new OpTester("GridSample", 16).Input(x).Input(Grid(-0.2, 0, 0, 0)).Attr("mode", "bicubic").Attr("align_corners", 1L).RunSingle();
        TensorAssert.Close(new[] { 20f, 25f }, [1, 1, 1, 2], result);
    }

    [Fact]
    public void BilinearMatchesNaiveFormulaOnRandomData()
    {
        // Oracle: (1 - a)(1 - b) X[y0, x0] + a (1 - b) X[y0, x1] + (1 - a) b X[y1, x0] + a b X[y1, x1], outside pixels 0.
        var rng = new Random(3);
        int n = 2;
        int c = 3;
        int h = 4;
        int w = 5;
        var data = Enumerable.Range(0, n * c * h * w).Select(_ => rng.NextDouble()).ToArray();
        var grid = Enumerable.Range(0, n * 3 * 2 * 2).Select(_ => (rng.NextDouble() * 2.4) - 1.2).ToArray();
        var result = new OpTester("GridSample", 16).Input(Tensor.Create(data, n, c, h, w)).Input(Tensor.Create(grid, n, 3, 2, 2)).RunSingle().ToDoubleArray();
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int p = 0; p < 6; p++)
                {
                    double u = (((grid[(((b * 6) + p) * 2) + 0] + 1) * w) - 1) / 2;
                    double v = (((grid[(((b * 6) + p) * 2) + 1] + 1) * h) - 1) / 2;
                    int x0 = (int)Math.Floor(u);
                    int y0 = (int)Math.Floor(v);
                    double a = u - x0;
                    double bb = v - y0;
                    double Pixel(int yy, int xx) => yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : data[((((b * c) + ch) * h) + yy) * w + xx];
                    double expected = ((1 - a) * (1 - bb) * Pixel(y0, x0)) + (a * (1 - bb) * Pixel(y0, x0 + 1)) + ((1 - a) * bb * Pixel(y0 + 1, x0)) + (a * bb * Pixel(y0 + 1, x0 + 1));
                    Assert.Equal(expected, result[(((b * c) + ch) * 6) + p], 1e-12);
                }
            }
        }
    }

    [Fact]
    public void Opset20TrilinearOnAVolumeRamp()
    {
        // 3 spatial axes (D, H, W) = (3, 4, 5), f = 100 d + 10 h + w; trilinear interpolation is exact for it inside.
        var values = new double[60];
        for (int i = 0; i < 60; i++)
        {
            values[i] = (100 * (i / 20)) + (10 * (i / 5 % 4)) + (i % 5);
        }

        double[] point = [0.3, -0.4, 0.1]; // (x, y, z) -> w, h, d
        var result = new OpTester("GridSample", 20).Input(Tensor.Create(values, 1, 1, 3, 4, 5)).Input(Tensor.Create(point, 1, 1, 1, 1, 3))
            .Attr("mode", "linear").Attr("align_corners", 1L).RunSingle();
        double u = (point[0] + 1) / 2 * 4;
        double v = (point[1] + 1) / 2 * 3;
        double z = (point[2] + 1) / 2 * 2;
        Assert.Equal([1, 1, 1, 1, 1], result.Dims.ToArray());
        Assert.Equal((100 * z) + (10 * v) + u, result.ToDoubleArray()[0], 1e-12);
    }

    [Fact]
    public void Opset20OneSpatialAxisCubic()
    {
        // (N, C, W) = (1, 1, 8) ramp 0..7, cubic align_corners at g = 0 -> u = 3.5 -> 3.5 (all taps inside).
        var x = Tensor.Create(Enumerable.Range(0, 8).Select(i => (float)i).ToArray(), 1, 1, 8);
        var result = new OpTester("GridSample", 20).Input(x).Input(Tensor.Create(new[] { 0f }, 1, 1, 1)).Attr("mode", "cubic").Attr("align_corners", 1L).RunSingle();
        TensorAssert.Close(new[] { 3.5f }, [1, 1, 1], result);
    }

    [Theory]
    [InlineData("zeros", 0f, 0f)]
    [InlineData("border", 4f, 2f)]
    [InlineData("reflection", float.NaN, float.NaN)]
    public void HugeAndNaNCoordinatesStayInBounds(string padding, float farCorner, float farLeft)
    {
        // (1e30, 1e30) is far past the bottom-right, (-1e30, 0) far left of the middle row; NaN propagates.
        // Reflection of a coordinate this large has no meaningful phase, so only its range is checked.
        var result = Run(s_x, Grid(1e30, 1e30, -1e30, 0, double.NaN, 0), [1, 1, 3, 2], padding: padding).ToDoubleArray();
        if (!float.IsNaN(farCorner))
        {
            Assert.Equal(farCorner, result[0]);
            Assert.Equal(farLeft, result[1]);
        }
        else
        {
            Assert.InRange(result[0], 0, 4);
            Assert.InRange(result[1], 0, 4);
        }

        Assert.True(double.IsNaN(result[2]));
    }

    [Fact]
    public void FiveDimensionalInputBeforeOpset20IsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("GridSample", 16).Input(new Tensor<float>([1, 1, 2, 2, 2])).Input(new Tensor<float>([1, 1, 1, 1, 3])).RunSingle());
        Assert.Contains("4-D", ex.Message);
    }

    [Fact]
    public void GridComponentCountMismatchIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("GridSample", 16).Input(new Tensor<float>([1, 1, 2, 2])).Input(new Tensor<float>([1, 2, 2, 3])).RunSingle());
        Assert.Contains("grid", ex.Message);
    }

    [Fact]
    public void GridBatchMismatchIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("GridSample", 16).Input(new Tensor<float>([2, 1, 2, 2])).Input(new Tensor<float>([1, 2, 2, 2])).RunSingle());
        Assert.Contains("grid", ex.Message);
    }

    [Theory]
    [InlineData(16, "linear")]
    [InlineData(20, "bilinear")]
    public void ModeNameOfTheOtherOpsetIsAnError(long opset, string mode)
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("GridSample", opset).Input(s_x).Input(Grid(0, 0)).Attr("mode", mode).RunSingle());
        Assert.Contains("mode", ex.Message);
    }

    [Fact]
    public void UnknownPaddingModeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(s_x, Grid(0, 0), [1, 1, 1, 2], padding: "wrap"));
        Assert.Contains("padding_mode", ex.Message);
    }

    private static Tensor<double> Grid(params double[] xy) => Tensor.Create(xy, 1, 1, xy.Length / 2, 2);

    private static Tensor Run(Tensor x, Tensor<double> grid, int[] gridDims, bool align = false, string padding = "zeros") =>
        new OpTester("GridSample", 16).Input(x).Input(grid.Reshape(gridDims)).Attr("align_corners", align ? 1L : 0L).Attr("padding_mode", padding).RunSingle();
}
