using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("OneHot")]
public sealed class OneHotTests
{
    [Theory]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-2L)]
    public void InsertsDepthAxis(long axis)
    {
        var indices = Tensor.Create(new long[] { 0, 2, -1, 5, -4, 1 }, 2, 3);
        var y = new OpTester("OneHot").Input(indices).Input(Tensor.Scalar(4L)).Input(Tensor.Create(new[] { 0f, 1f }, 2)).Attr("axis", axis).RunSingle();
        int a = axis < 0 ? (int)axis + 3 : (int)axis;
        int[] outDims = [2, 3];
        outDims = [.. outDims[..a], 4, .. outDims[a..]];
        var expected = new Tensor<float>(outDims);
        var coord = new int[3];
        for (int i = 0; i < expected.Length; i++)
        {
            int r = i;
            for (int k = 2; k >= 0; k--)
            {
                coord[k] = r % outDims[k];
                r /= outDims[k];
            }

            int[] idxCoord = coord.Where((_, k) => k != a).ToArray();
            long v = indices[Linear([2, 3], idxCoord)];
            expected[i] = (v < 0 ? v + 4 : v) == coord[a] ? 1 : 0;
        }

        Equal(expected, y);
    }

    [Fact]
    public void ValuesMayBeStringsAndIndicesFloats()
    {
        var y = new OpTester("OneHot").Input(Tensor.Create(new[] { 1.7f, 0f }, 2)).Input(Tensor.Scalar(2f)).Input(new StringTensor(["off", "on"], [2])).RunSingle();
        Equal(new StringTensor(["off", "on", "on", "off"], [2, 2]), y);
    }

    [Fact]
    public void NonPositiveDepthIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("OneHot").Input(Longs(1)).Input(Tensor.Scalar(0L)).Input(Tensor.Create(new[] { 0f, 1f }, 2)).RunSingle());
        Assert.Contains("depth", ex.Message);
    }
}
