using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("PRelu")]
public sealed class PReluTests
{
    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 2, 3, 4, 5 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 5 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 3, 1, 1 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 1 })]
    [InlineData(new[] { 37 }, new int[0])]
    public void SlopeBroadcastsToX(int[] xDims, int[] slopeDims)
    {
        var x = Floats(xDims, 1, -2, 2);
        var slope = Floats(slopeDims, 2, 0, 1);
        TensorAssert.Close(Broadcast(x, slope, (v, s) => v < 0 ? v * s : v), new OpTester("PRelu").Input(x).Input(slope).RunSingle(), rtol: 1e-6, atol: 1e-7);
    }

    [Fact]
    public void BeforeOpset7AOneDimensionalSlopeIsPerChannel()
    {
        var x = Floats([2, 3, 4], 3, -2, 2);
        var slope = Tensor.Create(new[] { 0.1f, 0.2f, 0.3f }, 3);
        var expected = Broadcast(x, slope.Reshape([3, 1]), (v, s) => v < 0 ? v * s : v);
        TensorAssert.Close(expected, new OpTester("PRelu", opset: 6).Input(x).Input(slope).RunSingle(), rtol: 1e-6, atol: 1e-7);
    }

    [Fact]
    public void IntegersSinceOpset16()
    {
        var x = Tensor.Create(new[] { -4, 0, 3, -1 }, 4);
        var slope = Tensor.Create(new[] { 2 }, 1);
        Assert.Equal(new long[] { -8, 0, 3, -2 }, new OpTester("PRelu", opset: 16).Input(x).Input(slope).RunSingle().ToInt64Array());
    }

    [Fact]
    public void SlopeThatWouldGrowXIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("PRelu").Input(Floats([3], 1)).Input(Floats([2, 3], 2)).RunSingle());
        Assert.Contains("[2,3]", ex.Message);
        Assert.Contains("[3]", ex.Message);
    }
}
