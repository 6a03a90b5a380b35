using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Squeeze")]
public sealed class SqueezeTests
{
    [Fact]
    public void RemovesListedAxes()
    {
        var x = Iota(1, 3, 1, 2);
        var y = new OpTester("Squeeze").Input(x).Input(Longs(0, -2)).RunSingle();
        Assert.Equal([3, 2], y.DimsArray());
        Assert.Equal(x.ToArray(), y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void RemovesEverySizeOneAxisWithoutAxes()
    {
        var y = new OpTester("Squeeze").Input(Iota(1, 3, 1, 2, 1)).RunSingle();
        Assert.Equal([3, 2], y.DimsArray());
    }

    [Fact]
    public void EmptyAxesSqueezeEverySizeOneAxis()
    {
        var y = new OpTester("Squeeze").Input(Iota(1, 3, 1)).Input(Tensor.Create(Array.Empty<long>(), 0)).RunSingle();
        Assert.Equal([3], y.DimsArray());
    }

    [Fact]
    public void AxesAreAnAttributeBeforeOpset13()
    {
        var y = new OpTester("Squeeze", 11).Input(Iota(1, 3, 1)).Attr("axes", new long[] { 2 }).RunSingle();
        Assert.Equal([1, 3], y.DimsArray());
    }

    [Fact]
    public void SqueezesStrings()
    {
        var x = new StringTensor(["a", "b"], [2, 1]);
        var y = new OpTester("Squeeze").Input(x).Input(Longs(1)).RunSingle();
        Equal(new StringTensor(["a", "b"], [2]), y);
    }

    [Fact]
    public void NonUnitAxisIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Squeeze").Input(Iota(2, 3)).Input(Longs(1)).RunSingle());
        Assert.Contains("axis 1", ex.Message);
        Assert.Contains("size is 3", ex.Message);
    }
}
