using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Sub")]
[OpTest("Mul")]
[OpTest("Div")]
public sealed class ArithmeticTests
{
    public static TheoryData<string, int[], int[]> Cases()
    {
        var data = new TheoryData<string, int[], int[]>();
        foreach (string op in (string[])["Sub", "Mul", "Div"])
        {
            data.Add(op, [2, 3], [2, 3]);
            data.Add(op, [2, 3], [3]);
            data.Add(op, [3], [2, 3]);
            data.Add(op, [2, 1, 4], [3, 1]);
            data.Add(op, [1], [5, 7, 33]);
            data.Add(op, [4, 1, 17], [4, 9, 17]);
            data.Add(op, [], [6, 5]);
            data.Add(op, [0, 3], [1, 3]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BroadcastsLikeNumpy(string op, int[] aDims, int[] bDims)
    {
        var a = Floats(aDims, 1);
        var b = Floats(bDims, 2, 0.5, 2);
        var result = new OpTester(op).Input(a).Input(b).RunSingle();
        TensorAssert.Close(Broadcast(a, b, Reference(op)), result, rtol: 1e-6, atol: 1e-7);
    }

    [Theory]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    public void EveryLengthAndTail(string op)
    {
        foreach (int n in Lengths)
        {
            var a = Floats([n], n);
            var b = Floats([n], n + 100, 0.5, 2);
            TensorAssert.Close(Broadcast(a, b, Reference(op)), new OpTester(op).Input(a).Input(b).RunSingle(), rtol: 1e-6, atol: 1e-7);
        }
    }

    [Theory]
    [InlineData(7L)]
    [InlineData(13L)]
    [InlineData(14L)]
    public void IntegersFollowCSemantics(long opset)
    {
        var a = Tensor.Create(new[] { 7, -7, 7, -7, int.MaxValue }, 5);
        var b = Tensor.Create(new[] { 2, 2, -2, -2, 2 }, 5);
        Assert.Equal(new long[] { 3, -3, -3, 3, int.MaxValue / 2 }, new OpTester("Div", opset).Input(a).Input(b).RunSingle().ToInt64Array());
        Assert.Equal(new long[] { 5, -9, 9, -5, int.MaxValue - 2 }, new OpTester("Sub", opset).Input(a).Input(b).RunSingle().ToInt64Array());
        Assert.Equal(new long[] { 14, -14, -14, 14, -2 }, new OpTester("Mul", opset).Input(a).Input(b).RunSingle().ToInt64Array());
    }

    [Fact]
    public void UnsignedBytesWrap()
    {
        var a = Tensor.Create(new byte[] { 1, 200, 255 }, 3);
        var b = Tensor.Create(new byte[] { 2, 2, 1 }, 3);
        Assert.Equal(new byte[] { 255, 198, 254 }, ((Tensor<byte>)new OpTester("Sub").Input(a).Input(b).RunSingle()).ToArray());
        Assert.Equal(new byte[] { 2, 144, 255 }, ((Tensor<byte>)new OpTester("Mul").Input(a).Input(b).RunSingle()).ToArray());
        Assert.Equal(new byte[] { 0, 100, 255 }, ((Tensor<byte>)new OpTester("Div").Input(a).Input(b).RunSingle()).ToArray());
    }

    [Fact]
    public void EveryNumericTypeComputes()
    {
        foreach (var type in (DataType[])[DataType.Float64, DataType.Int8, DataType.Int16, DataType.Int64, DataType.UInt16, DataType.UInt32, DataType.UInt64, DataType.Float16, DataType.BFloat16])
        {
            var a = Tensor.Allocate(type, [2, 2]);
            var b = Tensor.Allocate(type, [2]);
            Elementwise(Tensor.Create(new[] { 6.0, 8, 10, 12 }, 2, 2), a);
            Elementwise(Tensor.Create(new[] { 2.0, 4 }, 2), b);
            Assert.Equal(new double[] { 4, 4, 8, 8 }, new OpTester("Sub").Input(a).Input(b).RunSingle().ToDoubleArray());
            Assert.Equal(new double[] { 12, 32, 20, 48 }, new OpTester("Mul").Input(a).Input(b).RunSingle().ToDoubleArray());
            Assert.Equal(new double[] { 3, 2, 5, 3 }, new OpTester("Div").Input(a).Input(b).RunSingle().ToDoubleArray());
        }
    }

    [Fact]
    public void FloatDivisionByZeroGivesInfinity()
    {
        var r = new OpTester("Div").Input(Tensor.Create(new[] { 1f, -1f, 0f }, 3)).Input(Tensor.Create(new[] { 0f }, 1)).RunSingle().ToDoubleArray();
        Assert.True(double.IsPositiveInfinity(r[0]) && double.IsNegativeInfinity(r[1]) && double.IsNaN(r[2]));
    }

    [Fact]
    public void IntegerDivisionByZeroIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Div").Input(Tensor.Create(new[] { 1, 2 }, 2)).Input(Tensor.Create(new[] { 1, 0 }, 2)).RunSingle());
        Assert.Contains("Div", ex.Message);
        Assert.Contains("by zero", ex.Message);
    }

    [Fact]
    public void MismatchedDtypesAreANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Mul").Input(Tensor.Create(new[] { 1f }, 1)).Input(Tensor.Create(new[] { 1.0 }, 1)).RunSingle());
        Assert.Contains("float32", ex.Message);
        Assert.Contains("float64", ex.Message);
    }

    // Opset < 7: B is aligned to A at `axis` (default: trailing dims) when broadcast=1; output has A's shape.
    [Theory]
    [InlineData("Add", new[] { 2, 3, 4, 5 }, new[] { 5 }, -1L)]
    [InlineData("Sub", new[] { 2, 3, 4, 5 }, new[] { 4, 5 }, -1L)]
    [InlineData("Mul", new[] { 2, 3, 4, 5 }, new[] { 3, 4 }, 1L)]
    [InlineData("Div", new[] { 2, 3, 4, 5 }, new[] { 2 }, 0L)]
    [InlineData("Add", new[] { 2, 3 }, new int[0], -1L)]
    [InlineData("Mul", new[] { 2, 3, 4 }, new[] { 3, 1 }, 1L)]
    public void LegacyBroadcastAlignsBAtAxis(string op, int[] aDims, int[] bDims, long axis)
    {
        var a = Floats(aDims, 3);
        var b = Floats(bDims, 4, 0.5, 2);
        var tester = new OpTester(op, opset: 6).Input(a).Input(b).Attr("broadcast", 1L);
        long start = axis >= 0 ? axis : aDims.Length - bDims.Length;
        if (axis >= 0)
        {
            tester.Attr("axis", axis);
        }

        // B viewed with A's rank, 1s outside the aligned block, then the numpy oracle.
        var aligned = Enumerable.Repeat(1, aDims.Length).ToArray();
        bDims.CopyTo(aligned, (int)start);
        var expected = Broadcast(a, b.Reshape(aligned), Reference(op));
        TensorAssert.Close(expected, tester.RunSingle(), rtol: 1e-6, atol: 1e-7);
    }

    [Fact]
    public void LegacyWithoutBroadcastFlagNeedsEqualShapes()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Add", opset: 6).Input(Floats([2, 3], 1)).Input(Floats([3], 2)).RunSingle());
        Assert.Contains("broadcast=0", ex.Message);
        Assert.Contains("[2,3]", ex.Message);

        var same = new OpTester("Mul", opset: 1).Input(Tensor.Create(new[] { 2f, 3f }, 2)).Input(Tensor.Create(new[] { 4f, 5f }, 2)).RunSingle();
        TensorAssert.Close([8f, 15f], [2], same);
    }

    [Fact]
    public void LegacyBroadcastRejectsMisalignedB()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Sub", opset: 6).Input(Floats([2, 3, 4], 1)).Input(Floats([3], 2)).Attr("broadcast", 1L).RunSingle());
        Assert.Contains("[3]", ex.Message);
        Assert.Contains("[2,3,4]", ex.Message);
    }

    private static Func<float, float, float> Reference(string op) => op switch
    {
        "Add" => (x, y) => x + y,
        "Sub" => (x, y) => x - y,
        "Mul" => (x, y) => x * y,
        "Div" => (x, y) => x / y,
        _ => throw new ArgumentException(op),
    };

    private static void Elementwise(Tensor<double> values, Tensor destination) =>
        Kernels.Elementwise.TensorConversion.Convert(values, destination);
}
