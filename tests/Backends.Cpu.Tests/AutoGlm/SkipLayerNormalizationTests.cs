using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

[OpTest("SkipLayerNormalization", "ai.autoglm")]
public sealed class SkipLayerNormalizationTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MatchesAddLayerNormalization(bool withBeta, bool withBias)
    {
        var x = Unfused.Random(1, 2, 3, 16);
        var skip = Unfused.Random(2, 2, 3, 16);
        var gamma = Unfused.Random(3, 16);
        var beta = Unfused.Random(4, 16);
        var bias = Unfused.Random(5, 16);
        var builder = new ModelBuilder().Input("x", DataType.Float32, 2, 3, 16).Input("skip", DataType.Float32, 2, 3, 16).Initializer("gamma", gamma).Initializer("beta", beta).Initializer("bias", bias);
        builder = withBias ? builder.Node("Add", ["x", "bias"], ["xb"]).Node("Add", ["xb", "skip"], ["s"]) : builder.Node("Add", ["x", "skip"], ["s"]);
        var model = builder.Node("LayerNormalization", withBeta ? ["s", "gamma", "beta"] : ["s", "gamma"], ["y"], NodeAttribute.Of("epsilon", 1e-3f)).Output("y").Output("s").Build();
        var expected = GraphBuilder.Run(model, ("x", x), ("skip", skip));
        var tester = new OpTester("SkipLayerNormalization", 1, "ai.autoglm").Input(x).Input(skip).ConstantInput(gamma).Attr("epsilon", 1e-3f).Outputs(2);
        tester = withBias ? tester.ConstantInput(beta).ConstantInput(bias) : withBeta ? tester.ConstantInput(beta) : tester;
        var actual = tester.Run();
        TensorAssert.Close((Tensor)expected["y"], actual[0], 1e-4, 1e-5);
        TensorAssert.Close((Tensor)expected["s"], actual[1], 1e-6, 1e-6);
    }

    [Fact]
    public void SkipBroadcastsLikeAdd()
    {
        var x = Unfused.Random(1, 2, 3, 8);
        var skip = Unfused.Random(2, 3, 1);
        var gamma = Unfused.Random(3, 8);
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, 2, 3, 8).Input("skip", DataType.Float32, 3, 1).Initializer("gamma", gamma)
                .Node("Add", ["skip", "x"], ["s"]).Node("LayerNormalization", ["s", "gamma"], ["y"]).Output("y"),
            "y", ("x", x), ("skip", skip));
        TensorAssert.Close(expected, new OpTester("SkipLayerNormalization", 1, "ai.autoglm").Input(x).Input(skip).ConstantInput(gamma).RunSingle(), 1e-4, 1e-5);
    }

    [Fact]
    public void SkipThatDoesNotBroadcastIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("SkipLayerNormalization", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 2, 4)).Input(Unfused.Random(2, 3, 4)).ConstantInput(Unfused.Random(3, 4)).RunSingle());
        Assert.Contains("cannot be broadcast", ex.Message);
    }
}
