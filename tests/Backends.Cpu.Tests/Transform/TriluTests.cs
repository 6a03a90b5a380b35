using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Trilu")]
public sealed class TriluTests
{
    [Theory]
    [InlineData(true, 0L)]
    [InlineData(true, 2L)]
    [InlineData(true, -1L)]
    [InlineData(false, 0L)]
    [InlineData(false, -2L)]
    [InlineData(false, 9L)]
    [InlineData(true, -9L)]
    public void KeepsOneTriangle(bool upper, long k)
    {
        var x = Floats([2, 3, 5], 1);
        var y = new OpTester("Trilu").Input(x).Input(Tensor.Scalar(k)).Attr("upper", upper ? 1L : 0L).RunSingle();
        var expected = x.Clone();
        for (int m = 0; m < 2; m++)
        {
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 5; j++)
                {
                    bool keep = upper ? j - i >= k : j - i <= k;
                    if (!keep)
                    {
                        expected[(((m * 3) + i) * 5) + j] = 0;
                    }
                }
            }
        }

        Equal(expected, y);
    }

    [Fact]
    public void ZeroesStringsToEmpty()
    {
        var y = new OpTester("Trilu").Input(new StringTensor(["a", "b", "c", "d"], [2, 2])).Attr("upper", 0L).RunSingle();
        Equal(new StringTensor(["a", "", "c", "d"], [2, 2]), y);
    }

    [Fact]
    public void VectorInputIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Trilu").Input(Iota(3)).RunSingle());
        Assert.Contains("rank >= 2", ex.Message);
    }
}
