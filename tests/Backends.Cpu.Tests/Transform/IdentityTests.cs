using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Identity")]
public sealed class IdentityTests
{
    [Fact]
    public void PassesTensorsThrough()
    {
        var floats = Tensor.Create(new float[] { 1, 2, 3 }, 3);
        TensorAssert.Close(floats, new OpTester("Identity").Input(floats).RunSingle());
        Assert.Equal(new[] { "a", "b" }, ((StringTensor)new OpTester("Identity").Input(new StringTensor(["a", "b"], [2])).RunSingle()).Data);
    }
}
