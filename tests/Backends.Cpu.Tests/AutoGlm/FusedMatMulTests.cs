using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

[OpTest("FusedMatMul", "ai.autoglm")]
public sealed class FusedMatMulTests
{
    [Theory]
    [MemberData(nameof(Unfused.Activations), MemberType = typeof(Unfused))]
    public void MatchesMatMulBiasActivation(string activation, float[] p)
    {
        var a = Unfused.Random(1, 2, 3, 4);
        var b = Unfused.Random(2, 4, 5);
        var bias = Unfused.Random(3, 5);
        var expected = Unfused.Run(
            new ModelBuilder().Input("a", DataType.Float32, 2, 3, 4).Initializer("b", b).Initializer("bias", bias)
                .Node("MatMul", ["a", "b"], ["m"]).Node("Add", ["bias", "m"], ["s"]).Activation(activation, p, "s", "y").Output("y"),
            "y", ("a", a));
        var actual = new OpTester("FusedMatMul", 1, "ai.autoglm").Input(a).ConstantInput(b).ConstantInput(bias).WithActivation(activation, p).RunSingle();
        TensorAssert.Close(expected, actual, 1e-4, 1e-5);
    }

    [Fact]
    public void BatchedOperandsWithoutBias()
    {
        var a = Unfused.Random(4, 2, 3, 4);
        var b = Unfused.Random(5, 2, 4, 2);
        var expected = Unfused.Run(
            new ModelBuilder().Input("a", DataType.Float32, 2, 3, 4).Input("b", DataType.Float32, 2, 4, 2).Node("MatMul", ["a", "b"], ["m"]).Node("Tanh", ["m"], ["y"]).Output("y"),
            "y", ("a", a), ("b", b));
        TensorAssert.Close(expected, new OpTester("FusedMatMul", 1, "ai.autoglm").Input(a).Input(b).Attr("activation", "Tanh").RunSingle(), 1e-5, 1e-6);
    }

    [Fact]
    public void BiasOfWrongLengthIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("FusedMatMul", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 3, 4)).Input(Unfused.Random(2, 4, 5)).Input(Unfused.Random(3, 4)).RunSingle());
        Assert.Contains("bias must be [5]", ex.Message);
    }
}
