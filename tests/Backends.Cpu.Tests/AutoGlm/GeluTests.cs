using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

[OpTest("Gelu", "ai.autoglm")]
public sealed class GeluTests
{
    [Fact]
    public void ErfFormMatchesDecomposedGraph()
    {
        var x = Unfused.Random(1, 3, 37);
        var expected = Unfused.Run(new ModelBuilder().Input("x", DataType.Float32, 3, 37).GeluErf("x", "y").Output("y"), "y", ("x", x));
        TensorAssert.Close(expected, new OpTester("Gelu", 1, "ai.autoglm").Input(x).RunSingle(), 1e-5, 1e-6);
    }

    [Fact]
    public void TanhFormMatchesDecomposedGraph()
    {
        var x = Unfused.Random(2, 3, 37);
        var expected = Unfused.Run(new ModelBuilder().Input("x", DataType.Float32, 3, 37).GeluTanh("x", "y").Output("y"), "y", ("x", x));
        TensorAssert.Close(expected, new OpTester("Gelu", 1, "ai.autoglm").Input(x).Attr("approximate", "tanh").RunSingle(), 1e-5, 1e-6);
    }

    [Fact]
    public void HandValues()
    {
        // gelu(1) = 0.5 (1 + erf(1 / sqrt 2)) = 0.8413447; gelu(-1) = -0.1586553; gelu(0) = 0.
        var y = new OpTester("Gelu", 1, "ai.autoglm").Input(Tensor.Create(new[] { 1f, -1f, 0f }, 3)).RunSingle();
        TensorAssert.Close(new[] { 0.8413447f, -0.1586553f, 0f }, [3], y);
    }

    [Fact]
    public void UnknownApproximationIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Gelu", 1, "ai.autoglm").Input(Unfused.Random(1, 2)).Attr("approximate", "fast").RunSingle());
        Assert.Contains("approximate", ex.Message);
    }
}
