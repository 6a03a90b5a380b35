using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("LayerNormalization")]
public sealed class LayerNormalizationTests
{
    [Theory]
    [InlineData(new[] { 3, 4, 5 }, -1, true)]
    [InlineData(new[] { 3, 4, 5 }, 1, true)]
    [InlineData(new[] { 3, 4, 5 }, 0, false)]
    [InlineData(new[] { 2, 3, 4, 5 }, -2, true)]
    [InlineData(new[] { 7, 300 }, 1, true)]
    public void NormalizesTrailingDimsAndReturnsStatistics(int[] dims, int axis, bool withBias)
    {
        int a = axis < 0 ? axis + dims.Length : axis;
        int[] norm = dims[a..];
        var x = Floats(1, dims, -3, 3);
        var scale = Floats(2, norm);
        var bias = withBias ? Floats(3, norm) : null;
        var outs = new OpTester("LayerNormalization").Input(x).Input(scale).Input(bias).Attr("axis", axis).Attr("epsilon", 1e-4f).Outputs(3).Run();
        var (y, mean, invStd) = Reference(x, scale, bias, a, 1e-4);
        TensorAssert.Close(y, outs[0], 1e-4, 1e-5);
        TensorAssert.Close(mean, outs[1], 1e-5, 1e-6);
        TensorAssert.Close(invStd, outs[2], 1e-5, 1e-6);
    }

    [Fact]
    public void ScaleAndBiasBroadcastToTheNormalizedShape()
    {
        var x = Floats(4, [2, 3, 4]);
        var scale = Floats(5, [1, 4]);
        var bias = Floats(6, [3, 1]);
        var y = new OpTester("LayerNormalization").Input(x).Input(scale).Input(bias).Attr("axis", 1L).RunSingle();
        var fullScale = Tensor.Create(Enumerable.Range(0, 12).Select(i => scale[i % 4]).ToArray(), 3, 4);
        var fullBias = Tensor.Create(Enumerable.Range(0, 12).Select(i => bias[i / 4]).ToArray(), 3, 4);
        TensorAssert.Close(Reference(x, fullScale, fullBias, 1, 1e-5).Y, y, 1e-4, 1e-5);
    }

    [Theory]
    [InlineData(DataType.Float64, 1)]
    [InlineData(DataType.Float16, 1)]
    [InlineData(DataType.Float64, 11)]
    public void OtherTypesAndStashTypes(DataType type, long stash)
    {
        var x = Random(type, 7, [4, 6]);
        var scale = Random(type, 8, [6]);
        var outs = new OpTester("LayerNormalization").Input(x).Input(scale).Attr("stash_type", stash).Outputs(2).Run();
        var (y, mean, _) = Reference(x, scale, null, 1, 1e-5);
        double tol = type == DataType.Float16 ? 1e-2 : 1e-9;
        TensorAssert.Close(y, outs[0], tol, tol);
        Assert.Equal((DataType)stash, outs[1].DataType);
        Assert.Equal(mean.ToDoubleArray(), outs[1].ToDoubleArray(), (e, a) => Math.Abs(e - a) < 1e-6);
    }

    [Fact]
    public void AxisOutOfRangeIsRejected() =>
        Rejects(() => new OpTester("LayerNormalization").Input(Floats(1, [2, 3])).Input(Floats(2, [3])).Attr("axis", 2L).Run(), "axis 2", "rank 2");

    [Fact]
    public void ScaleThatCannotBroadcastIsRejected() =>
        Rejects(() => new OpTester("LayerNormalization").Input(Floats(1, [2, 3])).Input(Floats(2, [4])).Run(), "Scale [4]", "[3]");

    /// <summary>Per row of the [outer, prod(dims[axis..])] view: mean, population variance, y = (x - mean) / sqrt(var + eps) * scale + B.</summary>
    private static (Tensor Y, Tensor Mean, Tensor InvStd) Reference(Tensor x, Tensor scale, Tensor? bias, int axis, double epsilon)
    {
        int outer = Product(x.Dims[..axis]);
        int size = x.Length / outer;
        var xv = x.ToDoubleArray();
        var s = scale.ToDoubleArray();
        var b = bias?.ToDoubleArray();
        var y = new double[xv.Length];
        var means = new double[outer];
        var inv = new double[outer];
        for (int o = 0; o < outer; o++)
        {
            var row = xv[(o * size)..((o + 1) * size)];
            means[o] = row.Average();
            inv[o] = 1 / Math.Sqrt(row.Average(v => (v - means[o]) * (v - means[o])) + epsilon);
            for (int i = 0; i < size; i++)
            {
                y[(o * size) + i] = ((row[i] - means[o]) * inv[o] * s[i]) + (b?[i] ?? 0);
            }
        }

        int[] statDims = x.DimsArray().Select((d, i) => i < axis ? d : 1).ToArray();
        return (FromDoubles(x.DataType, y, x.DimsArray()), FromDoubles(DataType.Float32, means, statDims), FromDoubles(DataType.Float32, inv, statDims));
    }
}
