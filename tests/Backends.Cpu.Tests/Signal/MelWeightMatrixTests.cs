using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Signal;

[OpTest("MelWeightMatrix")]
public sealed class MelWeightMatrixTests
{
    [Fact]
    public void HandComputedSmallMatrix()
    {
        // 8 bands over 0..4096 Hz of a 16-point DFT at 8192 Hz: the band edges land on bins
        // floor(17 * hz_j / 8192) = 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, so each band is a single 1 (rows = 9 spectrogram bins).
        var result = Run(8, 16, 8192, 0f, 4096f);
        float[] expected =
        [
            1, 1, 0, 0, 0, 0, 0, 0,
            0, 0, 1, 1, 0, 0, 0, 0,
            0, 0, 0, 0, 1, 0, 0, 0,
            0, 0, 0, 0, 0, 1, 0, 0,
            0, 0, 0, 0, 0, 0, 1, 0,
            0, 0, 0, 0, 0, 0, 0, 1,
            0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0,
        ];
        TensorAssert.Close(expected, [9, 8], result);
    }

    [Theory]
    [InlineData(10, 512, 16000, 20f, 7000f)]
    [InlineData(40, 400, 16000, 0f, 8000f)]
    [InlineData(5, 64, 22050, 300f, 5000f)]
    public void MatchesTriangleOracle(int mels, int dftLength, int sampleRate, float lower, float upper)
    {
        var result = Run(mels, dftLength, sampleRate, lower, upper, DataType.Float64).ToDoubleArray();
        int rows = (dftLength / 2) + 1;
        var edges = BandEdges(mels, dftLength, sampleRate, lower, upper);
        for (int j = 0; j < rows; j++)
        {
            for (int i = 0; i < mels; i++)
            {
                Assert.Equal(Triangle(j, edges[i], edges[i + 1], edges[i + 2]), result[(j * mels) + i], 1e-12);
            }
        }
    }

    [Fact]
    public void EveryWideBandPeaksAtOne()
    {
        var result = Run(10, 1024, 16000, 100f, 7600f).ToDoubleArray();
        for (int i = 0; i < 10; i++)
        {
            double peak = Enumerable.Range(0, 513).Max(j => result[(j * 10) + i]);
            Assert.Equal(1.0, peak, 1e-6);
        }
    }

    [Fact]
    public void UpperEdgeBeyondTheSpectrumIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(4, 16, 8000, 0f, 20000f));
        Assert.Contains("upper_edge_hertz", ex.Message);
    }

    [Fact]
    public void HugeMatrixIsRefusedBeforeAllocating()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(int.MaxValue, 64, 8000, 0f, 1000f, constantSizes: false));
        Assert.Contains("larger than one buffer holds", ex.Message);
    }

    [Fact]
    public void InvertedEdgesAreAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(4, 64, 8000, 3000f, 1000f));
        Assert.Contains("lower_edge_hertz", ex.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ZeroMelBinsIsAnError(bool constantSizes)
    {
        // Caught by shape inference when the sizes are constants, by the kernel otherwise.
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Run(0, 64, 8000, 0f, 1000f, constantSizes: constantSizes));
        Assert.Contains("num_mel_bins", ex.Message);
    }

    private static Tensor Run(int mels, int dftLength, int sampleRate, float lower, float upper, DataType? type = null, bool constantSizes = true)
    {
        // Constant sizes let shape inference compute the full output shape, which OpTester checks against the kernel.
        var tester = new OpTester("MelWeightMatrix", 17);
        if (constantSizes)
        {
            tester.ConstantInput(Tensor.Scalar(mels)).ConstantInput(Tensor.Scalar(dftLength));
        }
        else
        {
            tester.Input(Tensor.Scalar(mels)).Input(Tensor.Scalar(dftLength));
        }

        tester.Input(Tensor.Scalar(sampleRate)).Input(Tensor.Scalar(lower)).Input(Tensor.Scalar(upper));
        if (type is { } t)
        {
            tester.Attr("output_datatype", (long)t);
        }

        return tester.RunSingle();
    }

    // Oracle: HTK mel edges hz(mel) = 700 (10^(mel / 2595) - 1) at num_mel_bins + 2 equal mel steps (the ONNX
    // reference's spacing), mapped to bins floor((dft_length + 1) * hz / sample_rate).
    private static long[] BandEdges(int mels, int dftLength, int sampleRate, double lower, double upper)
    {
        static double Mel(double hz) => 2595 * Math.Log10(1 + (hz / 700));
        double step = (Mel(upper) - Mel(lower)) / (mels + 2);
        return Enumerable.Range(0, mels + 2)
            .Select(j => (long)Math.Floor((dftLength + 1) * 700 * (Math.Pow(10, (Mel(lower) + (j * step)) / 2595) - 1) / sampleRate))
            .ToArray();
    }

    // A triangle over bins [lo, hi) peaking at 1 at the centre bin c, rising on [lo, c] and falling on [c, hi).
    private static double Triangle(long j, long lo, long c, long hi) =>
        j == c ? 1
        : j >= lo && j < c ? (double)(j - lo) / (c - lo)
        : j > c && j < hi ? (double)(hi - j) / (hi - c)
        : 0;
}
