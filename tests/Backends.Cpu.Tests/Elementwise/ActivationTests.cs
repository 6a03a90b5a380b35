using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Sigmoid")]
[OpTest("Tanh")]
[OpTest("LeakyRelu")]
[OpTest("Elu")]
[OpTest("Selu")]
[OpTest("Celu")]
[OpTest("HardSigmoid")]
[OpTest("HardSwish")]
[OpTest("Softplus")]
[OpTest("Softsign")]
[OpTest("ThresholdedRelu")]
public sealed class ActivationTests
{
    private const double SeluAlpha = 1.67326319217681884765625;
    private const double SeluGamma = 1.05070102214813232421875;

    // Op, attributes (name, value), oracle from the ONNX definition in double precision.
    public static TheoryData<string, (string Name, float Value)[], Func<double, double>> Ops => new()
    {
        { "Relu", [], x => Math.Max(0, x) },
        { "Sigmoid", [], x => 1 / (1 + Math.Exp(-x)) },
        { "Tanh", [], Math.Tanh },
        { "LeakyRelu", [], x => x >= 0 ? x : 0.01 * x },
        { "LeakyRelu", [("alpha", 0.3f)], x => x >= 0 ? x : 0.3f * x },
        { "Elu", [], x => x >= 0 ? x : Math.Exp(x) - 1 },
        { "Elu", [("alpha", 2f)], x => x >= 0 ? x : 2 * (Math.Exp(x) - 1) },
        { "Selu", [], x => x > 0 ? SeluGamma * x : SeluGamma * ((SeluAlpha * Math.Exp(x)) - SeluAlpha) },
        { "Selu", [("alpha", 2f), ("gamma", 3f)], x => x > 0 ? 3 * x : 3 * ((2 * Math.Exp(x)) - 2) },
        { "Celu", [], x => Math.Max(0, x) + Math.Min(0, Math.Exp(x) - 1) },
        { "Celu", [("alpha", 2f)], x => Math.Max(0, x) + Math.Min(0, 2 * (Math.Exp(x / 2) - 1)) },
        { "HardSigmoid", [], x => Math.Max(0, Math.Min(1, (0.2f * x) + 0.5)) },
        { "HardSigmoid", [("alpha", 0.5f), ("beta", 0.6f)], x => Math.Max(0, Math.Min(1, (0.5 * x) + 0.6f)) },
        { "HardSwish", [], x => x * Math.Max(0, Math.Min(1, (x / 6) + 0.5)) },
        { "Softplus", [], x => Math.Log(1 + Math.Exp(x)) },
        { "Softsign", [], x => x / (1 + Math.Abs(x)) },
        { "ThresholdedRelu", [], x => x > 1 ? x : 0 },
        { "ThresholdedRelu", [("alpha", 0.25f)], x => x > 0.25f ? x : 0 },
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void Float32MatchesDefinitionAtEveryLength(string op, (string Name, float Value)[] attributes, Func<double, double> oracle)
    {
        foreach (int n in Lengths)
        {
            var x = Floats([n], n + 11, -8, 8);
            var tester = new OpTester(op).Input(x);
            foreach (var (name, value) in attributes)
            {
                tester.Attr(name, value);
            }

            TensorAssert.Close(Map(x, v => (float)oracle(v)), tester.RunSingle(), rtol: 1e-5, atol: 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void Float64MatchesDefinition(string op, (string Name, float Value)[] attributes, Func<double, double> oracle)
    {
        var x = Doubles([4, 5], 9, -8, 8);
        var tester = new OpTester(op).Input(x);
        foreach (var (name, value) in attributes)
        {
            tester.Attr(name, value);
        }

        TensorAssert.Close(Map(x, oracle), tester.RunSingle(), rtol: 1e-6, atol: 1e-9);
    }

    [Fact]
    public void ExtremeInputsNeitherOverflowNorLoseSmallValues()
    {
        var x = Tensor.Create(new[] { -100f, -30f, -1e-6f, 0f, 1e-6f, 30f, 100f, float.PositiveInfinity, float.NegativeInfinity }, 9);
        TensorAssert.Close(Map(x, v => (float)Math.Tanh(v)), new OpTester("Tanh").Input(x).RunSingle(), rtol: 1e-6, atol: 0);
        TensorAssert.Close(Map(x, v => (float)(1 / (1 + Math.Exp(-(double)v)))), new OpTester("Sigmoid").Input(x).RunSingle(), rtol: 1e-6, atol: 1e-38);
        // ln(1 + u) = u to double precision once u < 1e-10.
        static double Log1p(double u) => u < 1e-10 ? u : Math.Log(1 + u);
        var softplus = Map(x, v => (float)(Math.Max(v, 0) + Log1p(Math.Exp(-Math.Abs((double)v)))));
        TensorAssert.Close(softplus, new OpTester("Softplus").Input(x).RunSingle(), rtol: 1e-5, atol: 0);
    }

    [Fact]
    public void NaNPropagates()
    {
        var x = Tensor.Create(Enumerable.Repeat(float.NaN, 9).ToArray(), 9);
        foreach (string op in (string[])["Relu", "Sigmoid", "Tanh", "Elu", "Selu", "Softplus", "Softsign", "HardSigmoid", "LeakyRelu"])
        {
            Assert.All(new OpTester(op).Input(x).RunSingle().ToDoubleArray(), v => Assert.True(double.IsNaN(v), op));
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(13)]
    [InlineData(14)]
    public void ReluAtEveryOpset(long opset)
    {
        var x = Tensor.Create(new[] { -2f, 0f, 3f }, 3);
        TensorAssert.Close([0f, 0f, 3f], [3], new OpTester("Relu", opset).Input(x).RunSingle());
    }

    [Fact]
    public void ReluOnIntegersSinceOpset14()
    {
        var x = Tensor.Create(new[] { -5, 0, 7, int.MinValue }, 4);
        Assert.Equal(new long[] { 0, 0, 7, 0 }, new OpTester("Relu").Input(x).RunSingle().ToInt64Array());
    }

    [Fact]
    public void Float16AndBFloat16ComputeThroughFloat32()
    {
        var x = Floats([21], 4, -4, 4);
        var half = Map(x, v => (Half)v);
        TensorAssert.Close(Map(half, v => (Half)(1 / (1 + Math.Exp(-(double)v)))), new OpTester("Sigmoid").Input(half).RunSingle(), rtol: 2e-3, atol: 1e-3);
        var bf = Map(x, v => (BFloat16)v);
        TensorAssert.Close(Map(bf, v => (BFloat16)Math.Max(0.01f * (float)v, (float)v)), new OpTester("LeakyRelu").Input(bf).RunSingle(), rtol: 1e-2, atol: 1e-2);
    }

    [Fact]
    public void IntegerInputIsRejectedNamingTheType()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Sigmoid").Input(Tensor.Create(new[] { 1L }, 1)).RunSingle());
        Assert.Contains("int64", ex.Message);
    }
}
