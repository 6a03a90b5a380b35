using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

[OpTest("FusedConv", "ai.autoglm")]
public sealed class FusedConvTests
{
    [Theory]
    [MemberData(nameof(Unfused.Activations), MemberType = typeof(Unfused))]
    public void MatchesConvAddActivation(string activation, float[] p)
    {
        var x = Unfused.Random(1, 2, 4, 6, 5);
        var w = Unfused.Random(2, 6, 2, 3, 3);
        var b = Unfused.Random(3, 6);
        var z = Unfused.Random(4, 2, 6, 3, 3);
        NodeAttribute[] attrs = [NodeAttribute.Of("group", 2L), NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }), NodeAttribute.Of("strides", new long[] { 2, 2 })];
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, 2, 4, 6, 5).Input("z", DataType.Float32, 2, 6, 3, 3).Initializer("w", w).Initializer("b", b)
                .Node("Conv", ["x", "w", "b"], ["c"], attrs).Node("Add", ["c", "z"], ["s"]).Activation(activation, p, "s", "y").Output("y"),
            "y", ("x", x), ("z", z));
        var tester = new OpTester("FusedConv", 1, "ai.autoglm").Input(x).ConstantInput(w).ConstantInput(b).Input(z).WithActivation(activation, p);
        foreach (var a in attrs)
        {
            tester.Attribute(a);
        }

        TensorAssert.Close(expected, tester.RunSingle(), 1e-4, 1e-5);
    }

    [Fact]
    public void WithoutBiasOrResidual()
    {
        var x = Unfused.Random(5, 1, 3, 4, 4);
        var w = Unfused.Random(6, 2, 3, 1, 1);
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, 1, 3, 4, 4).Initializer("w", w).Node("Conv", ["x", "w"], ["c"]).Node("Relu", ["c"], ["y"]).Output("y"),
            "y", ("x", x));
        TensorAssert.Close(expected, new OpTester("FusedConv", 1, "ai.autoglm").Input(x).ConstantInput(w).Attr("activation", "Relu").RunSingle(), 1e-5, 1e-6);
    }

    [Fact]
    public void ResidualOfWrongShapeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("FusedConv", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 1, 2, 3, 3)).ConstantInput(Unfused.Random(2, 2, 2, 1, 1)).Input(null).Input(Unfused.Random(3, 1, 2, 3, 2)).RunSingle());
        Assert.Contains("residual Z", ex.Message);
    }

    [Fact]
    public void UnknownActivationIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("FusedConv", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 1, 2, 3, 3)).ConstantInput(Unfused.Random(2, 2, 2, 1, 1)).Attr("activation", "Swish").RunSingle());
        Assert.Contains("unknown activation 'Swish'", ex.Message);
    }

    [Fact]
    public void WrongActivationParameterCountIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("FusedConv", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 1, 2, 3, 3)).ConstantInput(Unfused.Random(2, 2, 2, 1, 1)).Attr("activation", "LeakyRelu").Attr("activation_params", new[] { 1f, 2f }).RunSingle());
        Assert.Contains("takes 1 activation_params", ex.Message);
    }
}
