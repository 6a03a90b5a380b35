using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>ai.autoglm ReorderInput: the exact NCHWc layout of a hand-written loop, padded lanes zero.</summary>
[OpTest("ReorderInput", "ai.autoglm")]
public sealed class ReorderInputTests
{
    public static TheoryData<int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int c in new[] { 20, 32, 3, 16, 1 })
        {
            foreach (var (h, w) in new[] { (1, 1), (3, 5), (4, 4), (1, 17), (15, 20) })
            {
                data.Add(c == 20 ? 2 : 1, c, h, w);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheLayoutLoop(int n, int c, int h, int w)
    {
        var x = Unfused.Random(c + h + w, n, c, h, w);
        var y = new OpTester("ReorderInput", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(x).RunSingle();

        // The layout written out directly: y[i, cb, p, l] = x[i, 16 cb + l, p], or exactly 0 beyond C.
        int blocks = (c + 15) / 16, plane = h * w;
        Assert.Equal(new[] { n, blocks, h, w, 16 }, y.Dims.ToArray());
        var ys = ((Tensor<float>)y).Span;
        for (int i = 0; i < n; i++)
        {
            for (int cb = 0; cb < blocks; cb++)
            {
                for (int p = 0; p < plane; p++)
                {
                    for (int l = 0; l < 16; l++)
                    {
                        int ch = (cb * 16) + l;
                        float expected = ch < c ? x.Span[(((i * c) + ch) * plane) + p] : 0f;
                        float actual = ys[((((i * blocks) + cb) * plane) + p) * 16 + l];
                        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"y[{i},{cb},{p},{l}] = {actual}, expected {expected}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(20, 300)]
    [InlineData(32, 16)]
    [InlineData(17, 15)]
    public void RoundTripsThroughReorderOutput(int c, int plane)
    {
        var x = Unfused.Random(c * plane, 2, c, plane, 1);
        var blocked = new OpTester("ReorderInput", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(x).RunSingle();
        var back = new OpTester("ReorderOutput", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(blocked).Attr("channels", (long)c).RunSingle();
        TensorAssert.Close(x, back, 0, 0);
    }

    [Theory]
    [InlineData(new[] { 2, 16, 5 })]
    [InlineData(new[] { 1, 2, 16, 5, 1 })]
    public void InputOfRankOtherThanFourIsAnError(int[] dims)
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ReorderInput", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(Unfused.Random(1, dims)).RunSingle());
        Assert.Contains("ReorderInput", ex.Message);
        Assert.Contains($"[{string.Join(",", dims)}]", ex.Message);
    }

    [Fact]
    public void NonFloat32InputIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ReorderInput", 1, "ai.autoglm").PoisonUninitializedOutputs().Input(Tensor.Create(new double[16], [1, 16, 1, 1])).RunSingle());
        Assert.Contains("ReorderInput", ex.Message);
        Assert.Contains("float64", ex.Message);
    }
}
