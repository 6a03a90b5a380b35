using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Signal;

[OpTest("DFT")]
public sealed class DFTTests
{
    // Powers of two (radix-2), small primes and composites (Bluestein), and lengths around the Bluestein padding.
    public static TheoryData<int> Lengths => new() { 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 255, 257, 1000, 1024 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ComplexForwardMatchesDirectSum(int n)
    {
        var (re, im) = RandomComplex(n, seed: n);
        var input = Interleave(re, im, [1, n, 2]);
        var result = new OpTester("DFT", 17).Input(input).Attr("axis", 1L).RunSingle().ToDoubleArray();
        var (er, ei) = DirectDft(re, im, n, inverse: false);
        AssertSpectrum(er, ei, result, n);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void InverseIsScaledByOneOverN(int n)
    {
        var (re, im) = RandomComplex(n, seed: 1000 + n);
        var result = new OpTester("DFT", 17).Input(Interleave(re, im, [1, n, 2])).Attr("axis", 1L).Attr("inverse", 1L).RunSingle().ToDoubleArray();
        var (er, ei) = DirectDft(re, im, n, inverse: true);
        AssertSpectrum(er.Select(v => v / n).ToArray(), ei.Select(v => v / n).ToArray(), result, n);
    }

    [Fact]
    public void RealInputOnesidedKeepsTheLeadingBins()
    {
        // x = [1, 2, 3, 4]: X = [10, -2+2i, -2, -2-2i]; onesided keeps k = 0..2.
        var x = Tensor.Create(new[] { 1f, 2f, 3f, 4f }, 1, 4, 1);
        var result = new OpTester("DFT", 17).Input(x).Attr("onesided", 1L).RunSingle();
        TensorAssert.Close(new[] { 10f, 0f, -2f, 2f, -2f, 0f }, [1, 3, 2], result);
    }

    [Fact]
    public void DftLengthZeroPadsAndTruncates()
    {
        double[] signal = [1, -2, 0.5, 3, 4];
        var x = Tensor.Create(signal, 1, 5, 1);
        foreach (int n in new[] { 3, 8, 11 })
        {
            var result = new OpTester("DFT", 17).Input(x).ConstantInput(Tensor.Scalar((long)n)).RunSingle();
            Assert.Equal([1, n, 2], result.Dims.ToArray());
            var padded = Enumerable.Range(0, n).Select(t => t < signal.Length ? signal[t] : 0).ToArray();
            var (er, ei) = DirectDft(padded, new double[n], n, inverse: false);
            AssertSpectrum(er, ei, result.ToDoubleArray(), n);
        }
    }

    [Fact]
    public void TransformsEveryLineAlongTheChosenAxis()
    {
        // [2, 3, 5, 1] real input, axis 2 (opset 17 attribute) and the same axis as -2 (opset 20 input).
        var rng = new Random(7);
        var values = Enumerable.Range(0, 30).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var x = Tensor.Create(values, 2, 3, 5, 1);
        var byAttribute = new OpTester("DFT", 17).Input(x).Attr("axis", 2L).RunSingle().ToDoubleArray();
        var byInput = new OpTester("DFT", 20).Input(x).Input(null).ConstantInput(Tensor.Scalar(-2L)).RunSingle().ToDoubleArray();
        var byDefault = new OpTester("DFT", 20).Input(x).RunSingle().ToDoubleArray();
        for (int b = 0; b < 2; b++)
        {
            for (int r = 0; r < 3; r++)
            {
                var line = Enumerable.Range(0, 5).Select(t => values[(((b * 3) + r) * 5) + t]).ToArray();
                var (er, ei) = DirectDft(line, new double[5], 5, inverse: false);
                for (int k = 0; k < 5; k++)
                {
                    int at = ((((b * 3) + r) * 5) + k) * 2;
                    foreach (var result in new[] { byAttribute, byInput, byDefault })
                    {
                        Assert.Equal(er[k], result[at], 1e-12);
                        Assert.Equal(ei[k], result[at + 1], 1e-12);
                    }
                }
            }
        }
    }

    [Fact]
    public void FirstAxisWithInnerLines()
    {
        // Axis 0 of a [4, 3, 2] complex input: each of the 3 columns is transformed independently.
        var (re, im) = RandomComplex(12, seed: 3);
        var x = Interleave(re, im, [4, 3, 2]);
        var result = new OpTester("DFT", 20).Input(x).Input(null).ConstantInput(Tensor.Scalar(0L)).RunSingle().ToDoubleArray();
        for (int col = 0; col < 3; col++)
        {
            var lineRe = Enumerable.Range(0, 4).Select(t => re[(t * 3) + col]).ToArray();
            var lineIm = Enumerable.Range(0, 4).Select(t => im[(t * 3) + col]).ToArray();
            var (er, ei) = DirectDft(lineRe, lineIm, 4, inverse: false);
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal(er[k], result[((k * 3) + col) * 2], 1e-12);
                Assert.Equal(ei[k], result[(((k * 3) + col) * 2) + 1], 1e-12);
            }
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(21)]
    public void InverseUndoesForward(int n)
    {
        var (re, im) = RandomComplex(n, seed: 11);
        var x = Interleave(re, im, [1, n, 2]);
        var spectrum = new OpTester("DFT", 17).Input(x).RunSingle();
        var back = new OpTester("DFT", 17).Input(spectrum).Attr("inverse", 1L).RunSingle();
        TensorAssert.Close(x, back, 1e-12, 1e-12);
    }

    [Fact]
    public void Float32InputStaysFloat32()
    {
        var x = Tensor.Create(new[] { 0f, 1f, 0f, -1f, 0f, 1f }, 1, 6, 1);
        var result = new OpTester("DFT", 17).Input(x).RunSingle();
        Assert.Equal(DataType.Float32, result.DataType);
        var (er, ei) = DirectDft([0, 1, 0, -1, 0, 1], new double[6], 6, inverse: false);
        AssertSpectrum(er, ei, result.ToDoubleArray(), 6, 1e-5);
    }

    [Fact]
    public void LastAxisOfThreeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("DFT", 17).Input(new Tensor<float>([1, 4, 3])).RunSingle());
        Assert.Contains("[1,4,3]", ex.Message);
    }

    [Theory]
    [InlineData(2L)]
    [InlineData(-1L)]
    [InlineData(-4L)]
    public void AxisOutOfRangeIsAnError(long axis)
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("DFT", 17).Input(new Tensor<float>([1, 4, 2])).Attr("axis", axis).RunSingle());
        Assert.Contains("axis", ex.Message);
    }

    [Fact]
    public void RuntimeAxisOutOfRangeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("DFT", 20).Input(new Tensor<float>([1, 4, 2])).Input(null).Input(Tensor.Scalar(-1L)).RunSingle());
        Assert.Contains("axis -1", ex.Message);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-3L)]
    [InlineData(int.MaxValue)]
    public void DftLengthOutOfRangeIsAnError(long length)
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("DFT", 17).Input(new Tensor<float>([1, 4, 1])).Input(Tensor.Scalar(length)).RunSingle());
        Assert.Contains($"DFT length must be in [1, {1 << 27}], got {length}", ex.Message);
    }

    [Fact]
    public void AxisAttributeInOpset20IsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("DFT", 20).Input(new Tensor<float>([1, 4, 1])).Attr("axis", 1L).RunSingle());
        Assert.Contains("third input", ex.Message);
    }

    // Oracle: X[k] = sum_t x[t] exp(-+2*pi*i*t*k/n), summed directly in O(n^2).
    private static (double[] Re, double[] Im) DirectDft(double[] re, double[] im, int n, bool inverse)
    {
        double sign = inverse ? 1 : -1;
        var outRe = new double[n];
        var outIm = new double[n];
        for (int k = 0; k < n; k++)
        {
            for (int t = 0; t < n; t++)
            {
                double angle = sign * 2 * Math.PI * ((long)t * k % n) / n;
                outRe[k] += (re[t] * Math.Cos(angle)) - (im[t] * Math.Sin(angle));
                outIm[k] += (re[t] * Math.Sin(angle)) + (im[t] * Math.Cos(angle));
            }
        }

        return (outRe, outIm);
    }

    private static void AssertSpectrum(double[] expectedRe, double[] expectedIm, double[] actual, int n, double relative = 1e-10)
    {
        double scale = Math.Max(1, expectedRe.Concat(expectedIm).Max(Math.Abs));
        for (int k = 0; k < expectedRe.Length; k++)
        {
            Assert.True(Math.Abs(actual[2 * k] - expectedRe[k]) <= relative * scale, $"n={n} bin {k}: re {actual[2 * k]} != {expectedRe[k]}");
            Assert.True(Math.Abs(actual[(2 * k) + 1] - expectedIm[k]) <= relative * scale, $"n={n} bin {k}: im {actual[(2 * k) + 1]} != {expectedIm[k]}");
        }
    }

    private static (double[] Re, double[] Im) RandomComplex(int n, int seed)
    {
        var rng = new Random(seed);
        return (Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2) - 1).ToArray(), Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2) - 1).ToArray());
    }

    private static Tensor<double> Interleave(double[] re, double[] im, int[] dims)
    {
        var data = new double[re.Length * 2];
        for (int i = 0; i < re.Length; i++)
        {
            data[2 * i] = re[i];
            data[(2 * i) + 1] = im[i];
        }

        return Tensor.Create(data, dims);
    }
}
