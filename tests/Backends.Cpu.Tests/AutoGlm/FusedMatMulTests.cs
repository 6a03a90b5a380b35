using OpenAutoGlm.Backends.Cpu;
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

    /// <summary>
    /// A constant 2-D weight (packed at creation, bias in the GEMM epilogue) with enough output for the threaded
    /// activation, a single-row (decoding) product, and a broadcast batch, against a scalar double oracle.
    /// </summary>
    [Theory]
    [InlineData(new[] { 2, 70, 64 }, 300, 1)]
    [InlineData(new[] { 2, 70, 64 }, 300, 2)]
    [InlineData(new[] { 1, 1, 96 }, 2304, 2)]
    [InlineData(new[] { 3, 96 }, 33, 2)]
    public void ConstantWeightMatchesScalarOracle(int[] aDims, int n, int threads)
    {
        int k = aDims[^1];
        int rows = aDims[..^1].Aggregate(1, (x, y) => x * y);
        var a = Unfused.Random(11, aDims);
        var b = Unfused.Random(12, k, n);
        var bias = Unfused.Random(13, n);
        var tester = new OpTester("FusedMatMul", 1, "ai.autoglm").Input(a).ConstantInput(b).ConstantInput(bias).Attr("activation", "Gelu");
        var session = OpenAutoGlm.Runtime.InferenceSession.Create(tester.BuildModel(), new OpenAutoGlm.Runtime.SessionOptions
        {
            Providers = [new CpuExecutionProvider()],
            OptimizationLevel = OpenAutoGlm.Optimizer.OptimizationLevel.None,
            IntraOpThreads = threads,
        });
        var actual = (Tensor)session.Run(new Dictionary<string, DataValue> { ["in0"] = a })["out0"];

        var expected = new float[rows * n];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                double acc = bias[j];
                for (int p = 0; p < k; p++)
                {
                    acc += (double)a[(r * k) + p] * b[(p * n) + j];
                }

                expected[(r * n) + j] = (float)(0.5 * acc * (1 + Erf(acc / Math.Sqrt(2))));
            }
        }

        TensorAssert.Close(expected, [.. aDims[..^1], n], actual, 1e-4, 1e-4);
    }

    [Fact]
    public void VectorBAddsBiasAlongRows()
    {
        // B 1-D: Y is [3] (A's rows), so the bias runs along A's rows, not as a column epilogue.
        var a = Unfused.Random(21, 3, 4);
        var b = Unfused.Random(22, 4);
        var bias = Unfused.Random(23, 3);
        var actual = new OpTester("FusedMatMul", 1, "ai.autoglm").Input(a).Input(b).ConstantInput(bias).RunSingle();
        var expected = new float[3];
        for (int r = 0; r < 3; r++)
        {
            double acc = bias[r];
            for (int p = 0; p < 4; p++)
            {
                acc += (double)a[(r * 4) + p] * b[p];
            }

            expected[r] = (float)acc;
        }

        TensorAssert.Close(expected, [3], actual, 1e-5, 1e-6);
    }

    /// <summary>
    /// erf by its Maclaurin series for |x| &lt;= 3 (largest term ~e^9, so the cancellation error stays ~1e-12); beyond,
    /// ±1 (erfc(3) = 2.2e-5, which moves GELU by less than the test's absolute tolerance).
    /// </summary>
    private static double Erf(double x)
    {
        if (Math.Abs(x) > 3)
        {
            return Math.Sign(x);
        }

        // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)).
        double sum = 0, term = x;
        for (int n = 0; n < 200; n++)
        {
            sum += term / ((2 * n) + 1);
            term *= -x * x / (n + 1);
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
