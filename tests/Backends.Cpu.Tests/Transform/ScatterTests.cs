using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Scatter")]
public sealed class ScatterTests
{
    [Fact]
    public void DeprecatedScatterIsScatterElements()
    {
        var data = Tensor.Create(new float[] { 1, 2, 3, 4, 5 }, 1, 5);
        var indices = Tensor.Create(new long[] { 1, 3 }, 1, 2);
        var updates = Tensor.Create(new float[] { 1.1f, 2.1f }, 1, 2);
        var y = new OpTester("Scatter", 10).Input(data).Input(indices).Input(updates).Attr("axis", 1L).RunSingle();
        TensorAssert.Close([1, 1.1f, 3, 2.1f, 5], [1, 5], y);
    }

    [Fact]
    public void OutOfRangeIndexIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Scatter", 9)
            .Input(Iota(3)).Input(Tensor.Create(new long[] { -4 }, 1)).Input(Iota(1)).RunSingle());
        Assert.Contains("-4", ex.Message);
    }
}
