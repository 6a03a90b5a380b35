using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("ReverseSequence")]
public sealed class ReverseSequenceTests
{
    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(1L, 0L)]
    public void ReversesEachSequencePrefix(long batchAxis, long timeAxis)
    {
        long[] lens = [4, 0, 2];
        int[] dims = batchAxis == 0 ? [3, 4, 2] : [4, 3, 2];
        var x = Random(DataType.String, dims, 3);
        var y = new OpTester("ReverseSequence").Input(x).Input(Longs(lens)).Attr("batch_axis", batchAxis).Attr("time_axis", timeAxis).RunSingle();
        Equal(Take(x, dims, c =>
        {
            int b = c[(int)batchAxis], t = c[(int)timeAxis];
            var src = (int[])c.Clone();
            src[(int)timeAxis] = t < lens[b] ? (int)lens[b] - 1 - t : t;
            return Linear(dims, src);
        }), y);
    }

    [Fact]
    public void LengthBeyondTimeIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ReverseSequence").Input(Iota(2, 2)).Input(Longs(3, 1)).RunSingle());
        Assert.Contains("value 3", ex.Message);
    }
}
