using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Sequence;

[OpTest("ConcatFromSequence")]
public sealed class ConcatFromSequenceTests
{
    private static readonly Tensor<float> s_a = Tensor.Create(new[] { 1f, 2f, 3f, 4f }, 2, 2);
    private static readonly Tensor<float> s_b = Tensor.Create(new[] { 5f, 6f, 7f, 8f }, 2, 2);

    [Fact]
    public void ConcatenatesAlongAxis()
    {
        TensorAssert.Close(new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f }, [4, 2], Run(0, 0));
        TensorAssert.Close(new[] { 1f, 2f, 5f, 6f, 3f, 4f, 7f, 8f }, [2, 4], Run(-1, 0));
    }

    [Fact]
    public void StacksOnNewAxis()
    {
        TensorAssert.Close(new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f }, [2, 2, 2], Run(0, 1));
        TensorAssert.Close(new[] { 1f, 5f, 2f, 6f, 3f, 7f, 4f, 8f }, [2, 2, 2], Run(2, 1));
        TensorAssert.Close(new[] { 1f, 5f, 2f, 6f, 3f, 7f, 4f, 8f }, [2, 2, 2], Run(-1, 1));
    }

    [Fact]
    public void RoundTripsSplitToSequence()
    {
        var g = new GraphBuilder().Input("x", DataType.Float32, 2, 2)
            .Node("SplitToSequence", ["x"], ["s"], NodeAttribute.Of("axis", 1L), NodeAttribute.Of("keepdims", 0L))
            .Node("ConcatFromSequence", ["s"], ["y"], NodeAttribute.Of("axis", 1L), NodeAttribute.Of("new_axis", 1L))
            .Output("y");
        TensorAssert.Close(s_a, (Tensor)g.RunSingle(11, ("x", s_a)));
    }

    [Fact]
    public void IncompatibleShapesAndEmptySequencesAreErrors()
    {
        var g = new GraphBuilder().Input("a", DataType.Float32, 2, 2).Input("c", DataType.Float32, 3, 3)
            .Node("SequenceConstruct", ["a", "c"], ["s"])
            .Node("ConcatFromSequence", ["s"], ["y"], NodeAttribute.Of("axis", 0L)).Output("y");
        var ex = Assert.ThrowsAny<AutoGlmException>(() => g.RunSingle(11, ("a", s_a), ("c", new Tensor<float>([3, 3]))));
        Assert.Contains("[3,3]", ex.Message);

        var empty = new GraphBuilder().Node("SequenceEmpty", [], ["s"])
            .Node("ConcatFromSequence", ["s"], ["y"], NodeAttribute.Of("axis", 0L)).Output("y");
        Assert.Contains("empty", Assert.ThrowsAny<AutoGlmException>(() => empty.RunSingle(11)).Message);
    }

    private static Tensor Run(long axis, long newAxis)
    {
        var g = new GraphBuilder().Input("a", DataType.Float32, 2, 2).Input("b", DataType.Float32, 2, 2)
            .Node("SequenceConstruct", ["a", "b"], ["s"])
            .Node("ConcatFromSequence", ["s"], ["y"], NodeAttribute.Of("axis", axis), NodeAttribute.Of("new_axis", newAxis))
            .Output("y");
        return (Tensor)g.RunSingle(11, ("a", s_a), ("b", s_b));
    }
}
