using OpenAutoGlm.Core;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("BitShift")]
public sealed class BitShiftTests
{
    [Fact]
    public void ShiftsEveryUnsignedWidth()
    {
        Assert.Equal(new long[] { 32, 0, 254, 1 }, Shift("LEFT", new byte[] { 16, 128, 127, 1 }, new byte[] { 1, 1, 1, 0 }));
        Assert.Equal(new long[] { 8, 64, 63, 0 }, Shift("RIGHT", new byte[] { 16, 128, 127, 1 }, new byte[] { 1, 1, 1, 1 }));
        Assert.Equal(new long[] { 0x8000, 0 }, Shift("LEFT", new ushort[] { 1, 1 }, new ushort[] { 15, 16 }));
        Assert.Equal(new long[] { 1L << 31, 0, 0 }, Shift("LEFT", new uint[] { 1, 1, 5 }, new uint[] { 31, 32, 200 }));
        Assert.Equal(new long[] { 1, 0 }, Shift("RIGHT", new ulong[] { 1UL << 63, 1UL << 63 }, new ulong[] { 63, 64 }));
    }

    [Fact]
    public void BroadcastsTheShiftAmount()
    {
        var x = Tensor.Create(new uint[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var y = Tensor.Create(new uint[] { 2 }, 1);
        Assert.Equal(new long[] { 4, 8, 12, 16, 20, 24 }, new TestKit.OpTester("BitShift").Attr("direction", "LEFT").Input(x).Input(y).RunSingle().ToInt64Array());
    }

    [Fact]
    public void BadDirectionIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Shift("UP", new byte[] { 1 }, new byte[] { 1 }));
        Assert.Contains("direction", ex.Message);
        Assert.Contains("UP", ex.Message);
    }

    [Fact]
    public void SignedInputIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Shift("LEFT", new[] { 1 }, new[] { 1 }));
        Assert.Contains("int32", ex.Message);
    }

    private static long[] Shift<T>(string direction, T[] x, T[] y)
        where T : unmanaged =>
        new TestKit.OpTester("BitShift").Attr("direction", direction).Input(Tensor.Create(x, x.Length)).Input(Tensor.Create(y, y.Length)).RunSingle().ToInt64Array();
}
