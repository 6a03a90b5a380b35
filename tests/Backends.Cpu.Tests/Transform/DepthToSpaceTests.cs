using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("DepthToSpace")]
public sealed class DepthToSpaceTests
{
    [Theory]
    [InlineData("DCR")]
    [InlineData("CRD")]
    public void MovesChannelBlocksIntoSpace(string mode)
    {
        int b = 2;
        var x = Iota(2, 8, 3, 2);
        var y = new OpTester("DepthToSpace").Input(x).Attr("blocksize", (long)b).Attr("mode", mode).RunSingle();

        // y[n, c, h·b + i, w·b + j] = x[n, channel, h, w], channel = (i·b + j)·C' + c (DCR) or c·b² + i·b + j (CRD).
        Equal(Take(x, [2, 2, 6, 4], o =>
        {
            int i = o[2] % b, j = o[3] % b;
            int channel = mode == "DCR" ? (((i * b) + j) * 2) + o[1] : (o[1] * b * b) + (i * b) + j;
            return Linear([2, 8, 3, 2], [o[0], channel, o[2] / b, o[3] / b]);
        }), y);
    }

    [Fact]
    public void ModeIsDcrBeforeOpset11()
    {
        var x = Random(DataType.String, [1, 4, 1, 1], 3);
        var y = new OpTester("DepthToSpace", 1).Input(x).Attr("blocksize", 2L).RunSingle();
        Equal(x.Reshape([1, 1, 2, 2]), y);
    }

    [Fact]
    public void IndivisibleChannelsAreRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("DepthToSpace").Input(Iota(1, 6, 2, 2)).Attr("blocksize", 2L).RunSingle());
        Assert.Contains("[1,6,2,2]", ex.Message);
    }
}
