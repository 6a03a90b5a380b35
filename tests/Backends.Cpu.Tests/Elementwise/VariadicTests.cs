using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Elementwise.ElementwiseTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Sum")]
[OpTest("Mean")]
[OpTest("Max")]
[OpTest("Min")]
public sealed class VariadicTests
{
    public static TheoryData<string, Func<float[], float>> Ops => new()
    {
        { "Sum", v => v.Sum() },
        { "Mean", v => v.Sum() / v.Length },
        { "Max", v => v.Max() },
        { "Min", v => v.Min() },
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void FoldsAnyNumberOfBroadcastInputs(string op, Func<float[], float> oracle)
    {
        int[][] shapes = [[3, 1, 5], [4, 1], [5], [1, 4, 5]];
        for (int n = 1; n <= shapes.Length; n++)
        {
            var inputs = shapes.Take(n).Select((d, i) => Floats(d, i + 1)).ToArray();
            var dims = inputs.Skip(1).Aggregate(inputs[0].DimsArray(), (acc, t) => ShapeRules.Broadcast(acc, t.Dims));
            var expected = new Tensor<float>(dims);
            var idx = new int[dims.Length];
            for (int i = 0; i < expected.Length; i++)
            {
                Unravel(i, dims, idx);
                expected[i] = oracle(inputs.Select(t => t[Offset(t.Dims, idx)]).ToArray());
            }

            var tester = new OpTester(op);
            foreach (var t in inputs)
            {
                tester.Input(t);
            }

            TensorAssert.Close(expected, tester.RunSingle(), rtol: 1e-6, atol: 1e-7);
        }
    }

    [Theory]
    [InlineData(6L)]
    [InlineData(8L)]
    [InlineData(13L)]
    public void EveryOpsetWithEqualShapes(long opset)
    {
        var a = Tensor.Create(new[] { 1f, 5f, -2f }, 3);
        var b = Tensor.Create(new[] { 3f, 1f, -4f }, 3);
        TensorAssert.Close([4f, 6f, -6f], [3], new OpTester("Sum", opset).Input(a).Input(b).RunSingle());
        TensorAssert.Close([2f, 3f, -3f], [3], new OpTester("Mean", opset).Input(a).Input(b).RunSingle());
        TensorAssert.Close([3f, 5f, -2f], [3], new OpTester("Max", opset).Input(a).Input(b).RunSingle());
        TensorAssert.Close([1f, 1f, -4f], [3], new OpTester("Min", opset).Input(a).Input(b).RunSingle());
    }

    [Fact]
    public void MaxMinOnIntegersAndHalf()
    {
        var a = Tensor.Create(new long[] { long.MinValue, 3, 9 }, 3);
        var b = Tensor.Create(new long[] { 0 }, 1);
        Assert.Equal(new long[] { 0, 3, 9 }, new OpTester("Max").Input(a).Input(b).RunSingle().ToInt64Array());
        Assert.Equal(new long[] { long.MinValue, 0, 0 }, new OpTester("Min").Input(a).Input(b).RunSingle().ToInt64Array());

        var u = Tensor.Create(new byte[] { 200, 1 }, 2);
        var v = Tensor.Create(new byte[] { 100, 2 }, 2);
        Assert.Equal(new long[] { 200, 2 }, new OpTester("Max").Input(u).Input(v).RunSingle().ToInt64Array());
        Assert.Equal(new long[] { 44, 3 }, new OpTester("Sum").Input(u).Input(v).RunSingle().ToInt64Array());

        var h = new OpTester("Mean").Input(Tensor.Create(new[] { (Half)1, (Half)2 }, 2)).Input(Tensor.Create(new[] { (Half)2 }, 1)).RunSingle();
        Assert.Equal(new[] { 1.5, 2 }, h.ToDoubleArray());
    }

    [Fact]
    public void MaxAndMinPropagateNaN()
    {
        var a = Tensor.Create(new[] { float.NaN, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f }, 9);
        var b = Tensor.Create(new[] { 0f, float.NaN, 0f, 0f, 0f, 0f, 0f, 0f, float.NaN }, 9);
        foreach (string op in (string[])["Max", "Min"])
        {
            var r = new OpTester(op).Input(a).Input(b).RunSingle().ToDoubleArray();
            Assert.True(double.IsNaN(r[0]) && double.IsNaN(r[1]) && double.IsNaN(r[8]) && !double.IsNaN(r[2]), op);
        }
    }

    [Fact]
    public void IncompatibleShapesNameTheInput()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Sum").Input(Floats([2, 3], 1)).Input(Floats([3], 2)).Input(Floats([4], 3)).RunSingle());
        Assert.Contains("[4]", ex.Message);
    }
}
