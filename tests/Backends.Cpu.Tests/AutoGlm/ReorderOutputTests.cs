using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>ai.autoglm ReorderOutput: NCHWc back to NCHW by a hand-written loop, padded lanes dropped.</summary>
[OpTest("ReorderOutput", "ai.autoglm")]
public sealed class ReorderOutputTests
{
    public static TheoryData<int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int c in new[] { 20, 32, 3, 16, 33 })
        {
            foreach (var (h, w) in new[] { (1, 1), (3, 5), (4, 4), (17, 1), (20, 15) })
            {
                data.Add(c == 32 ? 2 : 1, c, h, w);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheLayoutLoop(int n, int c, int h, int w)
    {
        int blocks = (c + 15) / 16, plane = h * w;

        // Padded lanes hold garbage (a finite value an NCHWc op may leave there); they must not reach the output.
        var x = Unfused.Random(c + plane, n, blocks, h, w, 16);
        var y = new OpTester("ReorderOutput", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(x).Attr("channels", (long)c).RunSingle();
        Assert.Equal(new[] { n, c, h, w }, y.Dims.ToArray());
        var ys = ((Tensor<float>)y).Span;
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int p = 0; p < plane; p++)
                {
                    float expected = x.Span[((((i * blocks) + (ch / 16)) * plane) + p) * 16 + (ch % 16)];
                    Assert.True(expected == ys[(((i * c) + ch) * plane) + p], $"y[{i},{ch},{p}] = {ys[(((i * c) + ch) * plane) + p]}, expected {expected}");
                }
            }
        }
    }

    [Fact]
    public void RoundTripsThroughReorderInput()
    {
        var blocked = Nchwc.ToBlocked(Unfused.Random(3, 2, 20, 15, 20));
        var nchw = new OpTester("ReorderOutput", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(blocked).Attr("channels", 20L).RunSingle();
        var again = new OpTester("ReorderInput", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(nchw).RunSingle();
        TensorAssert.Close(blocked, again, 0, 0);
    }

    [Fact]
    public void InputOfRankOtherThanFiveIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ReorderOutput", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, 16, 4, 4)).Attr("channels", 16L).RunSingle());
        Assert.Contains("ReorderOutput", ex.Message);
        Assert.Contains("[1,16,4,4]", ex.Message);
    }

    [Theory]
    [InlineData(20L, 1)]
    [InlineData(16L, 2)]
    [InlineData(33L, 2)]
    public void ChannelsNotMatchingTheBlockCountIsAnError(long channels, int blocks)
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ReorderOutput", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, blocks, 2, 2, 16)).Attr("channels", channels).RunSingle());
        Assert.Contains("ReorderOutput", ex.Message);
        Assert.Contains($"channels = {channels}", ex.Message);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-16L)]
    public void NonPositiveChannelsIsAnError(long channels)
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ReorderOutput", 1, "ai.autoglm").PoisonUninitializedOutputs()
            .Input(Unfused.Random(1, 1, 1, 2, 2, 16)).Attr("channels", channels).RunSingle());
        Assert.Contains($"attribute channels must be", ex.Message);
        Assert.Contains($"got {channels}", ex.Message);
    }

    [Fact]
    public void MissingChannelsIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ReorderOutput", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(Unfused.Random(1, 1, 1, 2, 2, 16)).RunSingle());
        Assert.Contains("got 0", ex.Message);
    }
}
