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

    /// <summary>
    /// The vector GELU (both forms) against double precision over [-12, 12] and every length to 40 (vector tails);
    /// erf by Simpson's rule on 2/sqrt(pi) exp(-t^2) (4000 intervals: error far below float resolution).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VectorFormsMatchDoublePrecision(bool tanh)
    {
        var gelu = tanh ? OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm.FastGelu.TanhForm : OpenAutoGlm.Backends.Cpu.Kernels.AutoGlm.FastGelu.ErfForm;
        var rng = new Random(41);
        for (int n = 1; n <= 40; n++)
        {
            var x = Enumerable.Range(0, n).Select(i => i % 9 == 4 ? (float)((rng.NextDouble() * 0.2) - 0.1) : (float)((rng.NextDouble() * 24) - 12)).ToArray();
            var y = (float[])x.Clone();
            gelu.Apply(y);
            for (int i = 0; i < n; i++)
            {
                double v = x[i];
                double expected = tanh
                    ? 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + (0.044715 * v * v * v))))
                    : 0.5 * v * (1 + Erf(v / Math.Sqrt(2)));
                Assert.True(Math.Abs(expected - y[i]) <= 2e-6 + (2e-6 * Math.Abs(expected)), $"x {x[i]}: expected {expected}, got {y[i]}");
            }
        }
    }

    private static double Erf(double z)
    {
        const int Intervals = 4000;
        double h = z / Intervals, sum = 1 + Math.Exp(-z * z);
        for (int i = 1; i < Intervals; i++)
        {
            double t = i * h;
            sum += (i % 2 == 1 ? 4 : 2) * Math.Exp(-t * t);
        }

        return 2 / Math.Sqrt(Math.PI) * sum * h / 3;
    }
}
