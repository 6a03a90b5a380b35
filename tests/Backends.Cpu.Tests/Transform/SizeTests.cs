using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Size")]
public sealed class SizeTests
{
    [Theory]
    [InlineData(new[] { 2, 3, 4 }, 24L)]
    [InlineData(new int[] { }, 1L)]
    [InlineData(new[] { 5, 0 }, 0L)]
    public void CountsElements(int[] dims, long expected)
    {
        var y = new OpTester("Size").Input(Random(DataType.String, dims, 1)).RunSingle();
        Assert.Equal(DataType.Int64, y.DataType);
        Assert.Equal(0, y.Rank);
        Assert.Equal(expected, y.ToInt64Array()[0]);
    }

    [Fact]
    public void MissingInputIsRejected()
    {
        Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Size").Input(null).RunSingle());
    }
}
