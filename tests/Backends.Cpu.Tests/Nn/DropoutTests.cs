using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("Dropout")]
public sealed class DropoutTests
{
    [Theory]
    [InlineData(1L, DataType.Float32)]
    [InlineData(6L, DataType.Float64)]
    [InlineData(7L, DataType.Float32)]
    [InlineData(10L, DataType.Float64)]
    [InlineData(12L, DataType.Float16)]
    [InlineData(13L, DataType.BFloat16)]
    [InlineData(13L, DataType.Float32)]
    public void InferenceIsIdentityWithAllKeptMask(long opset, DataType type)
    {
        var x = Random(type, 1, [3, 4, 5]);
        var outs = new OpTester("Dropout", opset).Input(x).Outputs(2).Run();
        TensorAssert.Close(x, outs[0], 0, 0);
        if (opset >= 10)
        {
            Assert.Equal(DataType.Bool, outs[1].DataType);
            Assert.All(outs[1].ToDoubleArray(), v => Assert.Equal(1, v));
        }
        else
        {
            TensorAssert.Close(FromDoubles(type, Enumerable.Repeat(1.0, x.Length).ToArray(), [3, 4, 5]), outs[1], 0, 0);
        }
    }

    [Fact]
    public void TrainingModeFalseIgnoresTheRatio()
    {
        var x = Floats(2, [4, 4]);
        var y = new OpTester("Dropout", 13).Input(x).Input(Tensor.Scalar(0.75f)).Input(Tensor.Scalar(false)).RunSingle();
        TensorAssert.Close(x, y, 0, 0);
    }

    [Theory]
    [InlineData(DataType.Float32)]
    [InlineData(DataType.Float64)]
    public void ZeroRatioInTrainingIsIdentity(DataType type)
    {
        var x = Random(type, 3, [2, 7]);
        var outs = new OpTester("Dropout", 13).Input(x).Input(Tensor.Scalar(0f)).Input(Tensor.Scalar(true)).Outputs(2).Run();
        TensorAssert.Close(x, outs[0], 0, 0);
        Assert.All(outs[1].ToDoubleArray(), v => Assert.Equal(1, v));
    }

    [Theory]
    [InlineData(DataType.Float32, 0.25)]
    [InlineData(DataType.Float64, 0.5)]
    [InlineData(DataType.Float16, 0.75)]
    [InlineData(DataType.BFloat16, 0.5)]
    public void TrainingScalesKeptElementsAndZeroesTheRest(DataType type, double ratio)
    {
        // Inputs away from zero so a dropped element (0) is never confused with a kept one.
        var x = FromDoubles(type, Enumerable.Range(0, 4000).Select(i => 1 + (i % 7)).Select(v => (double)v).ToArray(), [40, 100]);
        var outs = new OpTester("Dropout", 13).Input(x).Input(FromDoubles(DataType.Float32, [ratio], [])).Input(Tensor.Scalar(true)).Attr("seed", 42L).Outputs(2).Run();
        var xv = x.ToDoubleArray();
        var yv = outs[0].ToDoubleArray();
        var mask = outs[1].AsSpan<bool>().ToArray();
        for (int i = 0; i < xv.Length; i++)
        {
            double expected = mask[i] ? xv[i] / (1 - ratio) : 0;
            Assert.True(Math.Abs(yv[i] - expected) <= 1e-2 * Math.Abs(expected), $"element {i}: {yv[i]} != {expected} (mask {mask[i]})");
        }

        // The kept fraction is 1 - ratio within a few standard deviations (n = 4000).
        double kept = mask.Count(m => m) / (double)mask.Length;
        Assert.InRange(kept, 1 - ratio - 0.05, 1 - ratio + 0.05);
    }

    [Fact]
    public void TheSeedMakesTheMaskReproducible()
    {
        var x = Floats(4, [64], 1, 2);
        bool[] Mask(long seed) => new OpTester("Dropout", 13).Input(x).Input(Tensor.Scalar(0.5f)).Input(Tensor.Scalar(true)).Attr("seed", seed).Outputs(2).Run()[1].AsSpan<bool>().ToArray();
        Assert.Equal(Mask(7), Mask(7));
        Assert.NotEqual(Mask(7), Mask(8));
    }

    [Fact]
    public void DefaultRatioIsOneHalf()
    {
        var x = Floats(5, [2000], 1, 2);
        var outs = new OpTester("Dropout", 12).Input(x).Input(null).Input(Tensor.Scalar(true)).Attr("seed", 3L).Outputs(2).Run();
        var mask = outs[1].AsSpan<bool>().ToArray();
        Assert.InRange(mask.Count(m => m) / 2000.0, 0.45, 0.55);
        int first = Array.IndexOf(mask, true);
        Assert.Equal(x[first] * 2, outs[0].ToDoubleArray()[first], 1e-5);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    public void RatioOutsideZeroOneIsRejected(float ratio) =>
        Rejects(() => new OpTester("Dropout", 13).Input(Floats(1, [3])).Input(Tensor.Scalar(ratio)).Input(Tensor.Scalar(true)).Run(), "ratio must be in [0, 1)");

    [Fact]
    public void RatioAttributeOutsideZeroOneIsRejected() =>
        Rejects(() => new OpTester("Dropout", 10).Input(Floats(1, [3])).Attr("ratio", 1f).Run(), "ratio must be in [0, 1)");

    [Fact]
    public void NonScalarRatioIsRejected() =>
        Rejects(() => new OpTester("Dropout", 13).Input(Floats(1, [3])).Input(Floats(2, [2], 0, 0.5)).Run(), "ratio (input 1) must be a scalar");

    [Fact]
    public void IntegerDataIsRejected() =>
        Rejects(() => new OpTester("Dropout", 13).Input(Random(DataType.Int32, 1, [3])).Run(), "int32");
}
