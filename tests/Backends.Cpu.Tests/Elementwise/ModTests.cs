using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Mod")]
public sealed class ModTests
{
    private static readonly int[] s_a = [7, -7, 7, -7, 6, -6, 0];
    private static readonly int[] s_b = [3, 3, -3, -3, 3, -3, 5];

    [Fact]
    public void IntegerModTakesTheDivisorSign()
    {
        var r = new OpTester("Mod").Input(Tensor.Create(s_a, 7)).Input(Tensor.Create(s_b, 7)).RunSingle();
        Assert.Equal(new long[] { 1, 2, -2, -1, 0, 0, 0 }, r.ToInt64Array());
    }

    [Fact]
    public void FmodTakesTheDividendSign()
    {
        var r = new OpTester("Mod").Attr("fmod", 1L).Input(Tensor.Create(s_a, 7)).Input(Tensor.Create(s_b, 7)).RunSingle();
        Assert.Equal(new long[] { 1, -1, 1, -1, 0, 0, 0 }, r.ToInt64Array());
    }

    [Fact]
    public void FloatFmodMatchesC()
    {
        var a = Tensor.Create(new[] { 5.5f, -5.5f, 5.5f, -5.5f, 1f }, 5);
        var b = Tensor.Create(new[] { 2f, 2f, -2f, -2f, 0f }, 5);
        var r = new OpTester("Mod").Attr("fmod", 1L).Input(a).Input(b).RunSingle().ToDoubleArray();
        Assert.Equal(new[] { 1.5, -1.5, 1.5, -1.5 }, r[..4]);
        Assert.True(double.IsNaN(r[4]));
    }

    [Fact]
    public void FloatWithoutFmodIsPythonStyle()
    {
        var a = Tensor.Create(new[] { 5.5, -5.5, 5.5, -5.5 }, 4);
        var b = Tensor.Create(new[] { 2.0, 2.0, -2.0, -2.0 }, 4);
        Assert.Equal(new[] { 1.5, 0.5, -0.5, -1.5 }, new OpTester("Mod").Input(a).Input(b).RunSingle().ToDoubleArray());
    }

    [Fact]
    public void BroadcastsAndHandlesUnsignedAndHalf()
    {
        var a = Tensor.Create(new ulong[] { 10, 11, 12, 13, 14, 15 }, 2, 3);
        var b = Tensor.Create(new ulong[] { 3, 4, 5 }, 3);
        Assert.Equal(new long[] { 1, 3, 2, 1, 2, 0 }, new OpTester("Mod").Input(a).Input(b).RunSingle().ToInt64Array());

        var h = new OpTester("Mod").Attr("fmod", 1L).Input(Tensor.Create(new[] { (Half)(-4.5) }, 1)).Input(Tensor.Create(new[] { (Half)2 }, 1)).RunSingle();
        Assert.Equal(new[] { -0.5 }, h.ToDoubleArray());
    }

    [Fact]
    public void IntegerModuloByZeroIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Mod").Input(Tensor.Create(new long[] { 4 }, 1)).Input(Tensor.Create(new long[] { 0 }, 1)).RunSingle());
        Assert.Contains("Mod", ex.Message);
        Assert.Contains("zero", ex.Message);
    }

    [Fact]
    public void InvalidFmodIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Mod").Attr("fmod", 2L).Input(Tensor.Create(new[] { 4 }, 1)).Input(Tensor.Create(new[] { 3 }, 1)).RunSingle());
        Assert.Contains("fmod", ex.Message);
    }
}
