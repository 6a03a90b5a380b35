using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("ScatterND")]
public sealed class ScatterNDTests
{
    [Theory]
    [InlineData("none", new float[] { 1, 11, 3, 10, 5, 6, 7, 12 })]
    [InlineData("add", new float[] { 1, 13, 3, 14, 5, 6, 7, 20 })]
    [InlineData("mul", new float[] { 1, 22, 3, 40, 5, 6, 7, 96 })]
    public void UpdatesElementsInOrder(string reduction, float[] expected)
    {
        var data = Tensor.Create(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 8);
        var indices = Tensor.Create(new long[] { 3, 1, -1 }, 3, 1);
        var updates = Tensor.Create(new float[] { 10, 11, 12 }, 3);
        var y = new OpTester("ScatterND", 16).Input(data).Input(indices).Input(updates).Attr("reduction", reduction).RunSingle();
        Assert.Equal(expected, y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void DuplicateIndicesAccumulateWithAdd()
    {
        var data = new Tensor<int>([2, 2]);
        var indices = Tensor.Create(new long[] { 1, 1, 1 }, 3, 1);
        var updates = Tensor.Create(new[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        var y = new OpTester("ScatterND", 16).Input(data).Input(indices).Input(updates).Attr("reduction", "add").RunSingle();
        Assert.Equal(new long[] { 0, 0, 9, 12 }, y.ToInt64Array());
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void ReplacesSlicesForEveryElementType(DataType type)
    {
        var data = Random(type, [3, 2], 1);
        var updates = Random(type, [1, 2], 2);
        var y = new OpTester("ScatterND").Input(data).Input(Tensor.Create(new long[] { 1 }, 1, 1)).Input(updates).RunSingle();
        var flat = Join([data, updates], out int[] starts);
        Equal(Take(flat, [3, 2], c => c[0] == 1 ? starts[1] + c[1] : Linear([3, 2], c)), y);
    }

    [Fact]
    public void BFloat16AddsThroughFloat()
    {
        var data = Tensor.Create(new[] { (BFloat16)1f, (BFloat16)2f }, 2);
        var updates = Tensor.Create(new[] { (BFloat16)0.5f }, 1);
        var y = new OpTester("ScatterND", 16).Input(data).Input(Tensor.Create(new long[] { 1 }, 1, 1)).Input(updates).Attr("reduction", "add").RunSingle();
        Assert.Equal(new double[] { 1, 2.5 }, y.ToDoubleArray());
    }

    [Fact]
    public void OutOfRangeIndexNamesValueAndRange()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ScatterND")
            .Input(Iota(4)).Input(Tensor.Create(new long[] { 4 }, 1, 1)).Input(Iota(1)).RunSingle());
        Assert.Contains("value 4", ex.Message);
        Assert.Contains("[-4, 4)", ex.Message);
    }

    [Fact]
    public void WrongUpdatesShapeIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ScatterND")
            .Input(Iota(4, 2)).Input(Tensor.Create(new long[] { 1 }, 1, 1)).Input(Iota(1, 3)).RunSingle());
        Assert.Contains("[1,2]", ex.Message);
    }
}
