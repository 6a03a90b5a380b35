using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("SpaceToDepth")]
public sealed class SpaceToDepthTests
{
    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesSpatialBlocksIntoChannels(DataType type)
    {
        int b = 2;
        var x = Random(type, [1, 3, 4, 6], 5);
        var y = new OpTester("SpaceToDepth").Input(x).Attr("blocksize", (long)b).RunSingle();

        // y[n, (i·b + j)·C + c, h, w] = x[n, c, h·b + i, w·b + j].
        Equal(Take(x, [1, 12, 2, 3], o =>
        {
            int c = o[1] % 3, block = o[1] / 3, i = block / b, j = block % b;
            return Linear([1, 3, 4, 6], [o[0], c, (o[2] * b) + i, (o[3] * b) + j]);
        }), y);
    }

    [Fact]
    public void IsTheInverseOfDepthToSpaceDcr()
    {
        var x = Floats([2, 2, 6, 4], 1);
        var d = new OpTester("SpaceToDepth").Input(x).Attr("blocksize", 2L).RunSingle();
        var back = new OpTester("DepthToSpace").Input(d).Attr("blocksize", 2L).Attr("mode", "DCR").RunSingle();
        Equal(x, back);
    }

    [Fact]
    public void IndivisibleSpatialDimsAreRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("SpaceToDepth").Input(Iota(1, 1, 3, 2)).Attr("blocksize", 2L).RunSingle());
        Assert.Contains("divisible by blocksize 2", ex.Message);
    }
}
