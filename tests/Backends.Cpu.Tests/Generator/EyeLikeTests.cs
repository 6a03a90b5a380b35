using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Generator;

[OpTest("EyeLike")]
public sealed class EyeLikeTests
{
    [Theory]
    [InlineData(4, 5, 0)]
    [InlineData(4, 5, 1)]
    [InlineData(4, 5, -2)]
    [InlineData(3, 3, 7)]
    [InlineData(3, 2, -1)]
    public void MatchesDiagonalOracle(int rows, int cols, long k)
    {
        var input = new Tensor<float>([rows, cols]);
        var result = new OpTester("EyeLike", 9).Input(input).Attr("k", k).RunSingle();
        var expected = new float[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                expected[(i * cols) + j] = j - i == k ? 1 : 0;
            }
        }

        TensorAssert.Close(expected, [rows, cols], result);
    }

    [Fact]
    public void DtypeAttributeOverridesInputType()
    {
        var input = new Tensor<int>([3, 4]);
        var result = new OpTester("EyeLike", 9).Input(input).Attr("dtype", (long)DataType.Float64).RunSingle();
        Assert.Equal(DataType.Float64, result.DataType);
        Assert.Equal(new double[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, result.ToDoubleArray());
    }

    [Fact]
    public void KeepsInputTypeWithoutDtype()
    {
        var result = new OpTester("EyeLike", 9).Input(new Tensor<int>([2, 2])).RunSingle();
        Assert.Equal(DataType.Int32, result.DataType);
        Assert.Equal(new long[] { 1, 0, 0, 1 }, result.ToInt64Array());
    }

    [Fact]
    public void NonMatrixInputIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("EyeLike", 9).Input(new Tensor<float>([2, 2, 2])).RunSingle());
        Assert.Contains("2-D", ex.Message);
    }
}
