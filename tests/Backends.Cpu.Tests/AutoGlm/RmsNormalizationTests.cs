using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

[OpTest("RmsNormalization", "ai.autoglm")]
public sealed class RmsNormalizationTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(-2)]
    public void MatchesDecomposedGraph(long axis)
    {
        var x = Unfused.Random(1, 2, 3, 8);
        var scale = axis == -1 ? Unfused.Random(2, 8) : Unfused.Random(2, 3, 8);
        long[] axes = axis == -1 ? [-1] : [-2, -1];
        var expected = Unfused.Run(
            new ModelBuilder().Input("x", DataType.Float32, 2, 3, 8).Initializer("two", Tensor.Scalar(2f)).Initializer("eps", Tensor.Scalar(1e-6f)).Initializer("g", scale)
                .Node("Pow", ["x", "two"], ["sq"]).Node("ReduceMean", ["sq"], ["ms"], NodeAttribute.Of("axes", axes)).Node("Add", ["ms", "eps"], ["mse"])
                .Node("Sqrt", ["mse"], ["r"]).Node("Div", ["x", "r"], ["n"]).Node("Mul", ["n", "g"], ["y"]).Output("y"),
            "y", ("x", x));
        var actual = new OpTester("RmsNormalization", 1, "ai.autoglm").Input(x).ConstantInput(scale).Attr("axis", axis).Attr("epsilon", 1e-6f).RunSingle();
        TensorAssert.Close(expected, actual, 1e-5, 1e-6);
    }

    [Fact]
    public void HandValues()
    {
        // rms([3, 4]) = sqrt(12.5); y = [3, 4] / 3.5355339 * [1, 2]
        var y = new OpTester("RmsNormalization", 1, "ai.autoglm").Input(Tensor.Create(new[] { 3f, 4f }, 1, 2)).ConstantInput(Tensor.Create(new[] { 1f, 2f }, 2)).Attr("epsilon", 0f).RunSingle();
        TensorAssert.Close(new[] { 0.8485281f, 2.2627417f }, [1, 2], y);
    }

    [Fact]
    public void ScaleThatDoesNotBroadcastIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("RmsNormalization", 1, "ai.autoglm").Input(Unfused.Random(1, 2, 4)).ConstantInput(Unfused.Random(2, 3)).RunSingle());
        Assert.Contains("scale [3] cannot be broadcast", ex.Message);
    }
}
