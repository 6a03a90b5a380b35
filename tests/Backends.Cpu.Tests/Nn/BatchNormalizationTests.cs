using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("BatchNormalization")]
public sealed class BatchNormalizationTests
{
    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 }, 1e-5f)]
    [InlineData(new[] { 4, 3 }, 1e-2f)]
    [InlineData(new[] { 1, 3, 2, 2, 3 }, 0.5f)]
    public void InferenceUsesTheGivenStatistics(int[] dims, float epsilon)
    {
        int c = dims[1];
        var x = Floats(1, dims, -3, 3);
        var (scale, bias, mean, variance) = (Floats(2, [c]), Floats(3, [c]), Floats(4, [c]), Floats(5, [c], 0.1, 2));
        var y = new OpTester("BatchNormalization", 15).Input(x).Input(scale).Input(bias).Input(mean).Input(variance).Attr("epsilon", epsilon).RunSingle();
        TensorAssert.Close(Reference(x, scale, bias, mean.ToDoubleArray(), variance.ToDoubleArray(), epsilon, features: c), y, 1e-5, 1e-5);
    }

    [Theory]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    public void OtherFloatTypes(DataType type)
    {
        var x = Random(type, 6, [2, 3, 3, 3]);
        var p = Enumerable.Range(0, 4).Select(i => Random(type, 7 + i, [3])).ToArray();
        var variance = FromDoubles(type, p[3].ToDoubleArray().Select(v => Math.Abs(v) + 0.5).ToArray(), [3]);
        var y = new OpTester("BatchNormalization", 15).Input(x).Input(p[0]).Input(p[1]).Input(p[2]).Input(variance).RunSingle();
        double tol = type == DataType.Float64 ? 1e-12 : type == DataType.Float16 ? 5e-3 : 3e-2;
        TensorAssert.Close(Reference(x, p[0], p[1], p[2].ToDoubleArray(), variance.ToDoubleArray(), 1e-5, 3), y, tol, tol);
    }

    [Fact]
    public void TrainingModeUsesBatchStatisticsAndUpdatesRunningOnes()
    {
        var x = Floats(11, [3, 2, 4, 3], -2, 2);
        var (scale, bias, mean, variance) = (Floats(12, [2]), Floats(13, [2]), Floats(14, [2]), Floats(15, [2], 0.5, 1.5));
        var outs = new OpTester("BatchNormalization", 15).Input(x).Input(scale).Input(bias).Input(mean).Input(variance)
            .Attr("training_mode", 1L).Attr("momentum", 0.8f).Attr("epsilon", 1e-3f).Outputs(3).Run();

        // Batch mean and population variance of each channel over N and the spatial dims.
        var xv = x.ToDoubleArray();
        var groups = Enumerable.Range(0, xv.Length).GroupBy(i => Unravel(i, x.Dims)[1]).OrderBy(g => g.Key).ToArray();
        var batchMean = groups.Select(g => g.Average(i => xv[i])).ToArray();
        var batchVar = groups.Select((g, c) => g.Average(i => (xv[i] - batchMean[c]) * (xv[i] - batchMean[c]))).ToArray();
        TensorAssert.Close(Reference(x, scale, bias, batchMean, batchVar, 1e-3, 2), outs[0], 1e-5, 1e-5);
        var runningMean = mean.ToDoubleArray().Select((m, c) => (0.8 * m) + (0.2 * batchMean[c])).ToArray();
        var runningVar = variance.ToDoubleArray().Select((v, c) => (0.8 * v) + (0.2 * batchVar[c])).ToArray();
        TensorAssert.Close(FromDoubles(DataType.Float32, runningMean, [2]), outs[1], 1e-5, 1e-6);
        TensorAssert.Close(FromDoubles(DataType.Float32, runningVar, [2]), outs[2], 1e-5, 1e-6);
    }

    [Fact]
    public void NonSpatialOpset7HasOneStatisticPerFeature()
    {
        var x = Floats(16, [2, 2, 3]);
        var p = Enumerable.Range(0, 4).Select(i => Floats(17 + i, [2, 3], i == 3 ? 0.2 : -1, 1)).ToArray();
        var y = new OpTester("BatchNormalization", 7).Input(x).Input(p[0]).Input(p[1]).Input(p[2]).Input(p[3]).Attr("spatial", 0L).RunSingle();
        TensorAssert.Close(Reference(x, p[0], p[1], p[2].ToDoubleArray(), p[3].ToDoubleArray(), 1e-5, features: 6), y, 1e-5, 1e-5);
    }

    [Fact]
    public void ScaleOfTheWrongLengthIsRejected() =>
        Rejects(() => new OpTester("BatchNormalization", 15).Input(Floats(1, [2, 3, 2])).Input(Floats(2, [4])).Input(Floats(3, [3])).Input(Floats(4, [3])).Input(Floats(5, [3])).Run(), "[4]", "needs 3 values");

    [Fact]
    public void RunningStatisticsWithoutTrainingModeAreRejected() =>
        Rejects(() => new OpTester("BatchNormalization", 15).Input(Floats(1, [2, 3])).Input(Floats(2, [3])).Input(Floats(3, [3])).Input(Floats(4, [3])).Input(Floats(5, [3], 0.1, 1)).Outputs(3).Run(), "training_mode");

    /// <summary>y = (x - mean[f]) / sqrt(var[f] + eps) * scale[f] + B[f]; f = channel, or (channel, position) when features > C.</summary>
    private static Tensor Reference(Tensor x, Tensor scale, Tensor bias, double[] mean, double[] variance, double epsilon, int features)
    {
        var xv = x.ToDoubleArray();
        var s = scale.ToDoubleArray();
        var b = bias.ToDoubleArray();
        int perSample = x.Length / x.Dims[0];
        int plane = perSample / features;
        var y = new double[xv.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int f = i % perSample / plane;
            y[i] = ((xv[i] - mean[f]) / Math.Sqrt(variance[f] + epsilon) * s[f]) + b[f];
        }

        return FromDoubles(x.DataType, y, x.DimsArray());
    }
}
