using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Signal;

[OpTest("STFT")]
public sealed class STFTTests
{
    [Theory]
    [InlineData(32, 4, 8, true)]
    [InlineData(30, 3, 7, true)]
    [InlineData(30, 5, 10, false)]
    [InlineData(16, 16, 16, true)]
    public void WindowedFramesMatchDirectSums(int length, int step, int frameLength, bool onesided)
    {
        var rng = new Random(length + step);
        var signal = Enumerable.Range(0, 2 * length).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var window = Enumerable.Range(0, frameLength).Select(_ => rng.NextDouble()).ToArray();
        var result = new OpTester("STFT", 17).Input(Tensor.Create(signal, 2, length, 1)).ConstantInput(Tensor.Scalar((long)step))
            .Input(Tensor.Create(window, frameLength)).Attr("onesided", onesided ? 1L : 0L).RunSingle();
        var expected = Oracle(signal, 2, length, complex: false, step, window, onesided);
        Assert.Equal(expected.Dims, result.Dims.ToArray());
        AssertClose(expected.Values, result.ToDoubleArray());
    }

    [Fact]
    public void FrameLengthWithoutWindowUsesARectangularWindow()
    {
        var signal = Enumerable.Range(0, 20).Select(i => Math.Sin(i * 0.7)).ToArray();
        var result = new OpTester("STFT", 17).Input(Tensor.Create(signal, 1, 20, 1)).ConstantInput(Tensor.Scalar(6L)).Input(null).ConstantInput(Tensor.Scalar(8L)).RunSingle();

        // frames = 1 + (20 - 8) / 6 = 3, bins = 8 / 2 + 1 = 5.
        var expected = Oracle(signal, 1, 20, complex: false, 6, Enumerable.Repeat(1.0, 8).ToArray(), onesided: true);
        Assert.Equal([1, 3, 5, 2], result.Dims.ToArray());
        AssertClose(expected.Values, result.ToDoubleArray());
    }

    [Fact]
    public void ComplexSignalTwoSided()
    {
        var rng = new Random(5);
        var signal = Enumerable.Range(0, 2 * 12).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var window = new[] { 0.5, 1, 1, 0.5, 0.25 };
        var result = new OpTester("STFT", 17).Input(Tensor.Create(signal, 1, 12, 2)).Input(Tensor.Scalar(3L)).Input(Tensor.Create(window, 5)).Attr("onesided", 0L).RunSingle();
        var expected = Oracle(signal, 1, 12, complex: true, 3, window, onesided: false);
        Assert.Equal(expected.Dims, result.Dims.ToArray());
        AssertClose(expected.Values, result.ToDoubleArray());
    }

    [Fact]
    public void HandComputedFrames()
    {
        // Signal 0..5, frame_step 2, frame_length 4 (rectangular): frames [0..3] and [2..5].
        // Frame [0,1,2,3]: X = [6, -2+2i, -2]; frame [2,3,4,5]: X = [14, -2+2i, -2].
        var x = Tensor.Create(new[] { 0f, 1f, 2f, 3f, 4f, 5f }, 1, 6, 1);
        var result = new OpTester("STFT", 17).Input(x).Input(Tensor.Scalar(2L)).Input(null).Input(Tensor.Scalar(4L)).RunSingle();
        TensorAssert.Close(new[] { 6f, 0f, -2f, 2f, -2f, 0f, 14f, 0f, -2f, 2f, -2f, 0f }, [1, 2, 3, 2], result);
    }

    [Fact]
    public void ZeroFrameStepIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("STFT", 17).Input(new Tensor<float>([1, 8, 1])).Input(Tensor.Scalar(0L)).Input(null).Input(Tensor.Scalar(4L)).RunSingle());
        Assert.Contains("frame_step", ex.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WindowLengthMismatchIsAnError(bool constantFrameLength)
    {
        // Caught by shape inference when frame_length is a constant, by the kernel otherwise.
        var tester = new OpTester("STFT", 17).Input(new Tensor<float>([1, 8, 1])).Input(Tensor.Scalar(2L)).Input(new Tensor<float>([3]));
        _ = constantFrameLength ? tester.ConstantInput(Tensor.Scalar(4L)) : tester.Input(Tensor.Scalar(4L));
        var ex = Assert.ThrowsAny<AutoGlmException>(() => tester.RunSingle());
        Assert.Contains("window length 3", ex.Message);
    }

    [Fact]
    public void FrameLongerThanSignalIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("STFT", 17).Input(new Tensor<float>([1, 8, 1])).Input(Tensor.Scalar(2L)).Input(null).Input(Tensor.Scalar(9L)).RunSingle());
        Assert.Contains("frame_length", ex.Message);
    }

    [Fact]
    public void SignalWithoutComplexAxisIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("STFT", 17).Input(new Tensor<float>([8, 4])).Input(Tensor.Scalar(2L)).RunSingle());
        Assert.Contains("signal", ex.Message);
    }

    // Oracle: frame f of batch b is signal[b, f*step .. f*step + n) times the window, transformed by a direct O(n^2) sum.
    private static (int[] Dims, double[] Values) Oracle(double[] signal, int batch, int length, bool complex, int step, double[] window, bool onesided)
    {
        int n = window.Length;
        int frames = 1 + ((length - n) / step);
        int bins = onesided ? (n / 2) + 1 : n;
        int parts = complex ? 2 : 1;
        var values = new double[batch * frames * bins * 2];
        for (int b = 0; b < batch; b++)
        {
            for (int f = 0; f < frames; f++)
            {
                for (int k = 0; k < bins; k++)
                {
                    double re = 0;
                    double im = 0;
                    for (int t = 0; t < n; t++)
                    {
                        int at = ((b * length) + (f * step) + t) * parts;
                        double xr = signal[at] * window[t];
                        double xi = complex ? signal[at + 1] * window[t] : 0;
                        double angle = -2 * Math.PI * t * k / n;
                        re += (xr * Math.Cos(angle)) - (xi * Math.Sin(angle));
                        im += (xr * Math.Sin(angle)) + (xi * Math.Cos(angle));
                    }

                    int o = ((((b * frames) + f) * bins) + k) * 2;
                    values[o] = re;
                    values[o + 1] = im;
                }
            }
        }

        return ([batch, frames, bins, 2], values);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-10);
        }
    }
}
