using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Equal")]
[OpTest("Less")]
[OpTest("Greater")]
[OpTest("LessOrEqual")]
[OpTest("GreaterOrEqual")]
public sealed class ComparisonTests
{
    public static TheoryData<string, Func<double, double, bool>> Ops => new()
    {
        { "Equal", (a, b) => a == b },
        { "Less", (a, b) => a < b },
        { "Greater", (a, b) => a > b },
        { "LessOrEqual", (a, b) => a <= b },
        { "GreaterOrEqual", (a, b) => a >= b },
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void FloatsBroadcastToBool(string op, Func<double, double, bool> oracle)
    {
        // Rounded values so that equal pairs occur.
        var a = Map(Floats([3, 4, 5], 1, -3, 3), v => MathF.Round(v));
        var b = Map(Floats([4, 1], 2, -3, 3), v => MathF.Round(v));
        TensorAssert.Close(Broadcast(a, b, (x, y) => oracle(x, y)), new OpTester(op).Input(a).Input(b).RunSingle());
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void EveryNumericType(string op, Func<double, double, bool> oracle)
    {
        double[] av = [1, 5, 3, 0];
        double[] bv = [2, 5, 1, 0];
        bool[] expected = av.Zip(bv, oracle).ToArray();
        foreach (var type in (DataType[])[DataType.Float64, DataType.Float16, DataType.BFloat16, DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.UInt8, DataType.UInt16, DataType.UInt32, DataType.UInt64])
        {
            var a = Tensor.Allocate(type, [4]);
            var b = Tensor.Allocate(type, [4]);
            Kernels.Elementwise.TensorConversion.Convert(Tensor.Create(av, 4), a);
            Kernels.Elementwise.TensorConversion.Convert(Tensor.Create(bv, 4), b);
            Assert.Equal(expected, ((Tensor<bool>)new OpTester(op).Input(a).Input(b).RunSingle()).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void NaNComparesFalse(string op, Func<double, double, bool> oracle)
    {
        _ = oracle;
        var r = new OpTester(op).Input(Tensor.Create(new[] { float.NaN, float.NaN }, 2)).Input(Tensor.Create(new[] { float.NaN, 1f }, 2)).RunSingle();
        Assert.Equal(new[] { false, false }, ((Tensor<bool>)r).ToArray());
    }

    [Fact]
    public void EqualOnBoolAndStrings()
    {
        var r = new OpTester("Equal").Input(Tensor.Create(new[] { true, false, true }, 3)).Input(Tensor.Create(new[] { true }, 1)).RunSingle();
        Assert.Equal(new[] { true, false, true }, ((Tensor<bool>)r).ToArray());

        var s = new OpTester("Equal").Input(new StringTensor(["a", "b", "", "é"], [2, 2])).Input(new StringTensor(["a", "é"], [2])).RunSingle();
        Assert.Equal(new[] { true, false, false, true }, ((Tensor<bool>)s).ToArray());
    }

    [Theory]
    [InlineData("Equal")]
    [InlineData("Less")]
    [InlineData("Greater")]
    public void LegacyBroadcastAtOpset1(string op)
    {
        var a = Tensor.Create(new long[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = Tensor.Create(new long[] { 2, 5 }, 2);
        var r = new OpTester(op, opset: 1).Input(a).Input(b).Attr("broadcast", 1L).Attr("axis", 0L).RunSingle();
        bool[] expected = op switch
        {
            "Equal" => [false, true, false, false, true, false],
            "Less" => [true, false, false, true, false, false],
            _ => [false, false, true, false, false, true],
        };
        Assert.Equal(expected, ((Tensor<bool>)r).ToArray());
    }

    [Fact]
    public void MismatchedDtypesAreANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Less").Input(Tensor.Create(new[] { 1 }, 1)).Input(Tensor.Create(new[] { 1L }, 1)).RunSingle());
        Assert.Contains("int32", ex.Message);
        Assert.Contains("int64", ex.Message);
    }
}
