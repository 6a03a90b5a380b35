using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

[OpTest("FusedGemm", "ai.autoglm")]
public sealed class FusedGemmTests
{
    [Theory]
    [MemberData(nameof(Unfused.Activations), MemberType = typeof(Unfused))]
    public void MatchesGemmActivation(string activation, float[] p)
    {
        var a = Unfused.Random(1, 3, 4);
        var b = Unfused.Random(2, 5, 4);
        var c = Unfused.Random(3, 5);
        NodeAttribute[] attrs = [NodeAttribute.Of("transB", 1L), NodeAttribute.Of("alpha", 0.5f), NodeAttribute.Of("beta", 2f)];
        var expected = Unfused.Run(
            new ModelBuilder().Input("a", DataType.Float32, 3, 4).Initializer("b", b).Initializer("c", c)
                .Node("Gemm", ["a", "b", "c"], ["g"], attrs).Activation(activation, p, "g", "y").Output("y"),
            "y", ("a", a));
        var tester = new OpTester("FusedGemm", 1, "ai.autoglm").Input(a).ConstantInput(b).ConstantInput(c).WithActivation(activation, p);
        foreach (var attr in attrs)
        {
            tester.Attribute(attr);
        }

        TensorAssert.Close(expected, tester.RunSingle(), 1e-4, 1e-5);
    }

    [Fact]
    public void InnerDimensionMismatchIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("FusedGemm", 1, "ai.autoglm")
            .Input(Unfused.Random(1, 3, 4)).Input(Unfused.Random(2, 5, 4)).Attr("activation", "Relu").RunSingle());
        Assert.Contains("inner dimensions", ex.Message);
    }
}
