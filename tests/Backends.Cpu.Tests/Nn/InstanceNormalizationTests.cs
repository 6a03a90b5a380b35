using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("InstanceNormalization")]
public sealed class InstanceNormalizationTests
{
    [Theory]
    [InlineData(DataType.Float32, new[] { 2, 3, 4, 5 })]
    [InlineData(DataType.Float32, new[] { 1, 4, 7 })]
    [InlineData(DataType.Float32, new[] { 2, 2, 2, 3, 4 })]
    [InlineData(DataType.Float64, new[] { 2, 3, 6 })]
    [InlineData(DataType.Float16, new[] { 2, 3, 6 })]
    public void NormalizesEachPlane(DataType type, int[] dims)
    {
        int c = dims[1];
        var x = Random(type, 1, dims);
        var scale = Random(type, 2, [c]);
        var bias = Random(type, 3, [c]);
        var y = new OpTester("InstanceNormalization").Input(x).Input(scale).Input(bias).Attr("epsilon", 1e-3f).RunSingle();
        double tol = type == DataType.Float16 ? 1e-2 : 1e-5;
        TensorAssert.Close(Reference(x, scale.ToDoubleArray(), bias.ToDoubleArray(), 1e-3), y, tol, tol);
    }

    [Fact]
    public void ScaleOfTheWrongLengthIsRejected() =>
        Rejects(() => new OpTester("InstanceNormalization").Input(Floats(1, [1, 3, 4])).Input(Floats(2, [2])).Input(Floats(3, [3])).Run(), "one value per channel (3)", "[2]");

    [Fact]
    public void RankTwoInputIsRejected() =>
        Rejects(() => new OpTester("InstanceNormalization").Input(Floats(1, [2, 3])).Input(Floats(2, [3])).Input(Floats(3, [3])).Run(), "rank >= 3");

    /// <summary>y = scale[c] * (x - mean) / sqrt(var + eps) + B[c], mean / population variance of plane (n, c).</summary>
    private static Tensor Reference(Tensor x, double[] scale, double[] bias, double epsilon)
    {
        int c = x.Dims[1];
        int plane = x.Length / (x.Dims[0] * c);
        var xv = x.ToDoubleArray();
        var y = new double[xv.Length];
        for (int p = 0; p < x.Dims[0] * c; p++)
        {
            var v = xv[(p * plane)..((p + 1) * plane)];
            double mean = v.Average();
            double variance = v.Average(e => (e - mean) * (e - mean));
            for (int i = 0; i < plane; i++)
            {
                y[(p * plane) + i] = (scale[p % c] * (v[i] - mean) / Math.Sqrt(variance + epsilon)) + bias[p % c];
            }
        }

        return FromDoubles(x.DataType, y, x.DimsArray());
    }
}
