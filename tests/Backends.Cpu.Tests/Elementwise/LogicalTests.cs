using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("And")]
[OpTest("Or")]
[OpTest("Xor")]
[OpTest("Not")]
public sealed class LogicalTests
{
    [Theory]
    [InlineData("And", new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData("Or", new[] { 3, 4, 5 }, new[] { 5 })]
    [InlineData("Xor", new[] { 3, 1, 5 }, new[] { 4, 1 })]
    [InlineData("And", new int[0], new[] { 2, 2 })]
    public void TruthTablesWithBroadcasting(string op, int[] aDims, int[] bDims)
    {
        var a = Bools(aDims, 1);
        var b = Bools(bDims, 2);
        Func<bool, bool, bool> f = op switch
        {
            "And" => (x, y) => x && y,
            "Or" => (x, y) => x || y,
            _ => (x, y) => x ^ y,
        };
        TensorAssert.Close(Broadcast(a, b, f), new OpTester(op).Input(a).Input(b).RunSingle());
    }

    [Fact]
    public void LegacyBroadcastAtOpset1()
    {
        var a = Bools([2, 3], 5);
        var b = Tensor.Create(new[] { true, false }, 2);
        var r = new OpTester("Or", opset: 1).Input(a).Input(b).Attr("broadcast", 1L).Attr("axis", 0L).RunSingle();
        TensorAssert.Close(Broadcast(a, b.Reshape([2, 1]), (x, y) => x || y), r);
    }

    [Fact]
    public void NotInverts()
    {
        var x = Bools([3, 7], 3);
        TensorAssert.Close(Map(x, v => !v), new OpTester("Not").Input(x).RunSingle());
    }

    [Fact]
    public void NonBoolInputIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("And").Input(Tensor.Create(new[] { 1 }, 1)).Input(Tensor.Create(new[] { 1 }, 1)).RunSingle());
        Assert.Contains("int32", ex.Message);
    }

    private static Tensor<bool> Bools(int[] dims, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor<bool>(dims);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = rng.Next(2) == 1;
        }

        return t;
    }
}
