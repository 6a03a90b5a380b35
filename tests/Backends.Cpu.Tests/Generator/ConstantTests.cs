using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Generator;

[OpTest("Constant")]
public sealed class ConstantTests
{
    [Fact]
    public void ValueTensor()
    {
        var value = Tensor.Create(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 2, 3);
        var result = new OpTester("Constant", 13).Attribute(NodeAttribute.Of("value", value)).RunSingle();
        TensorAssert.Close(value, result);
    }

    [Fact]
    public void ScalarAndListAttributes()
    {
        TensorAssert.Close(Tensor.Scalar(2.5f), new OpTester("Constant").Attr("value_float", 2.5f).RunSingle());
        TensorAssert.Close(Tensor.Create(new[] { 1f, -2f }, 2), new OpTester("Constant").Attr("value_floats", new[] { 1f, -2f }).RunSingle());
        TensorAssert.Close(Tensor.Scalar(7L), new OpTester("Constant").Attr("value_int", 7L).RunSingle());
        TensorAssert.Close(Tensor.Create(new[] { 3L, 4L, 5L }, 3), new OpTester("Constant").Attr("value_ints", new[] { 3L, 4L, 5L }).RunSingle());
        TensorAssert.Close(new StringTensor(["hi"], []), new OpTester("Constant").Attr("value_string", "hi").RunSingle());
        TensorAssert.Close(new StringTensor(["a", "b"], [2]), new OpTester("Constant").Attribute(NodeAttribute.Of("value_strings", new[] { "a", "b" })).RunSingle());
    }

    [Fact]
    public void SparseValueIsDensified()
    {
        var sparse = new SparseTensor(Tensor.Create(new[] { 5f, 7f }, 2), Tensor.Create(new[] { 1L, 4L }, 2), [2, 3]);
        var result = new OpTester("Constant").Attribute(new NodeAttribute("sparse_value", AttributeKind.SparseTensor, sparse)).RunSingle();
        TensorAssert.Close(new[] { 0f, 5f, 0f, 0f, 7f, 0f }, [2, 3], result);
    }

    [Fact]
    public void ShapeInferenceKnowsTheValue()
    {
        var model = new OpTester("Constant").Attr("value_ints", new[] { 2L, 3L }).BuildModel();
        ShapeInferencer.Run(model, new ShapeInferenceOptions { Strict = true });
        var type = (TensorTypeInfo)model.Graph.ValueInfos["out0"].Type!;
        Assert.Equal(DataType.Int64, type.ElementType);
        Assert.Equal(new Shape(2), type.Shape);
    }

    [Fact]
    public void NoValueAttributeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Constant").RunSingle());
        Assert.Contains("exactly one", ex.Message);
    }

    [Fact]
    public void TwoValueAttributesAreAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Constant").Attr("value_int", 1L).Attr("value_float", 1f).RunSingle());
        Assert.Contains("value_int", ex.Message);
    }
}
