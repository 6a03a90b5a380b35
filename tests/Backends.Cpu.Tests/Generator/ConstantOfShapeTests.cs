using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Generator;

[OpTest("ConstantOfShape")]
public sealed class ConstantOfShapeTests
{
    [Fact]
    public void DefaultIsFloatZero()
    {
        var result = new OpTester("ConstantOfShape", 9).Input(Tensor.Create(new[] { 2L, 3L }, 2)).RunSingle();
        TensorAssert.Close(new float[6], [2, 3], result);
    }

    [Fact]
    public void FillsWithTheValueAttribute()
    {
        var result = new OpTester("ConstantOfShape", 9)
            .Input(Tensor.Create(new[] { 4L, 3L, 2L }, 3))
            .Attribute(NodeAttribute.Of("value", Tensor.Create(new[] { 1f }, 1)))
            .RunSingle();
        TensorAssert.Close(Enumerable.Repeat(1f, 24).ToArray(), [4, 3, 2], result);
    }

    [Fact]
    public void IntegerValueAndConstantShapeInference()
    {
        var result = new OpTester("ConstantOfShape", 9)
            .ConstantInput(Tensor.Create(new[] { 10L, 6L }, 2))
            .Attribute(NodeAttribute.Of("value", Tensor.Create(new[] { 7L }, 1)))
            .RunSingle();
        Assert.Equal(DataType.Int64, result.DataType);
        Assert.Equal(new[] { 10, 6 }, result.DimsArray());
        Assert.All(result.ToInt64Array(), v => Assert.Equal(7L, v));
    }

    [Fact]
    public void ZeroSizedAndScalarShapes()
    {
        var empty = new OpTester("ConstantOfShape", 9).Input(Tensor.Create(new[] { 0L }, 1))
            .Attribute(NodeAttribute.Of("value", Tensor.Create(new[] { 0 }, 1))).RunSingle();
        Assert.Equal(DataType.Int32, empty.DataType);
        Assert.Equal(new[] { 0 }, empty.DimsArray());

        var scalar = new OpTester("ConstantOfShape", 9).Input(Tensor.Create(Array.Empty<long>(), 0))
            .Attribute(NodeAttribute.Of("value", Tensor.Create(new[] { 3.5 }, 1))).RunSingle();
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(3.5, scalar.ToDoubleArray()[0]);
    }

    [Fact]
    public void NegativeDimensionIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("ConstantOfShape", 9).Input(Tensor.Create(new[] { 2L, -1L }, 2)).RunSingle());
        Assert.Contains("[2,-1]", ex.Message);
    }
}
