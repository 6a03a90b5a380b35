using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("CumSum")]
public sealed class CumSumTests
{
    [Theory]
    [InlineData(0, false, false)]
    [InlineData(1, true, false)]
    [InlineData(-1, false, true)]
    [InlineData(2, true, true)]
    public void SumsAlongAxis(int axis, bool exclusive, bool reverse)
    {
        var x = Iota(2, 3, 4);
        var y = new OpTester("CumSum").Input(x).Input(Tensor.Scalar(axis)).Attr("exclusive", exclusive ? 1L : 0L).Attr("reverse", reverse ? 1L : 0L).RunSingle();
        int a = axis < 0 ? axis + 3 : axis;
        var expected = new Tensor<float>([2, 3, 4]);
        var c = new int[3];
        for (int i = 0; i < expected.Length; i++)
        {
            c[0] = i / 12;
            c[1] = i / 4 % 3;
            c[2] = i % 4;
            float sum = 0;
            for (int j = 0; j < x.Dims[a]; j++)
            {
                bool take = reverse ? (exclusive ? j > c[a] : j >= c[a]) : (exclusive ? j < c[a] : j <= c[a]);
                if (take)
                {
                    var s = (int[])c.Clone();
                    s[a] = j;
                    sum += x[Linear([2, 3, 4], s)];
                }
            }

            expected[i] = sum;
        }

        Equal(expected, y);
    }

    [Fact]
    public void IntegersAndHalfs()
    {
        var i = new OpTester("CumSum").Input(Tensor.Create(new long[] { long.MaxValue - 3, 1, 2 }, 3)).Input(Tensor.Scalar(0L)).RunSingle();
        Assert.Equal(new long[] { long.MaxValue - 3, long.MaxValue - 2, long.MaxValue }, i.ToInt64Array());
        var h = new OpTester("CumSum").Input(Tensor.Create(new[] { (Half)0.5f, (Half)1.25f }, 2)).Input(Tensor.Scalar(0)).RunSingle();
        Assert.Equal(new double[] { 0.5, 1.75 }, h.ToDoubleArray());
    }

    [Fact]
    public void NonScalarAxisIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("CumSum").Input(Iota(3)).Input(Longs(0, 1)).RunSingle());
        Assert.Contains("axis must be", ex.Message);
    }
}
