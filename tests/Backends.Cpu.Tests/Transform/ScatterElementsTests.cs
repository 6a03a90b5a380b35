using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("ScatterElements")]
public sealed class ScatterElementsTests
{
    [Theory]
    [InlineData("none", new float[] { 1, 5, 3, 4 })]
    [InlineData("add", new float[] { 1, 2 + 5 + 7, 3, 4 })]
    [InlineData("mul", new float[] { 1, 2 * 5 * 7, 3, 4 })]
    [InlineData("max", new float[] { 1, 7, 3, 4 })]
    [InlineData("min", new float[] { 1, 2, 3, 4 })]
    public void ReducesDuplicates(string reduction, float[] expected)
    {
        // Indices 1 and -3 both address element 1 (of 4); "none" keeps the last update.
        var data = Tensor.Create(new float[] { 1, 2, 3, 4 }, 1, 4);
        var indices = Tensor.Create(new long[] { 1, -3 }, 1, 2);
        var updates = Tensor.Create(new float[] { 7, 5 }, 1, 2);
        var y = new OpTester("ScatterElements", 18).Input(data).Input(indices).Input(updates).Attr("axis", 1L).Attr("reduction", reduction).RunSingle();
        Assert.Equal(expected, y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void ScattersAlongAxisZero()
    {
        var data = new Tensor<float>([3, 3]);
        var indices = Tensor.Create(new long[] { 1, 0, 2, 0, 2, 1 }, 2, 3);
        var updates = Tensor.Create(new float[] { 1, 1.1f, 1.2f, 2, 2.1f, 2.2f }, 2, 3);
        var y = new OpTester("ScatterElements").Input(data).Input(indices).Input(updates).RunSingle();
        TensorAssert.Close([2, 1.1f, 0, 1, 0, 2.2f, 0, 2.1f, 1.2f], [3, 3], y);
    }

    [Theory]
    [MemberData(nameof(AllTypeCases), MemberType = typeof(TransformOracle))]
    public void MovesEveryElementType(DataType type)
    {
        var data = Random(type, [2, 2], 1);
        var updates = Random(type, [2, 1], 2);
        var y = new OpTester("ScatterElements").Input(data).Input(Tensor.Create(new long[] { 1, 0 }, 2, 1)).Input(updates).Attr("axis", 1L).RunSingle();
        var flat = Join([data, updates], out int[] starts);
        Equal(Take(flat, [2, 2], c => (c[0], c[1]) switch
        {
            (0, 1) => starts[1],
            (1, 0) => starts[1] + 1,
            _ => Linear([2, 2], c),
        }), y);
    }

    [Fact]
    public void OutOfRangeIndexNamesValueAndRange()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ScatterElements")
            .Input(Iota(2, 2)).Input(Tensor.Create(new long[] { 2 }, 1, 1)).Input(Iota(1, 1)).RunSingle());
        Assert.Contains("value 2", ex.Message);
        Assert.Contains("[-2, 2)", ex.Message);
    }

    [Fact]
    public void ReductionOnStringsIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("ScatterElements", 16)
            .Input(new StringTensor(["a"], [1])).Input(Tensor.Create(new long[] { 0 }, 1)).Input(new StringTensor(["b"], [1])).Attr("reduction", "add").RunSingle());
        Assert.Contains("string", ex.Message);
    }
}
