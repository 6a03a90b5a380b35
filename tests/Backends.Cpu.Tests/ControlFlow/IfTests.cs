using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.ControlFlow;

[OpTest("If")]
public sealed class IfTests
{
    private static readonly Tensor<float> s_x = Tensor.Create(new[] { 1f, 2f, 3f }, 3);

    [Theory]
    [InlineData(true, new[] { 11f, 12f, 13f })]
    [InlineData(false, new[] { 1f, 2f, 3f })]
    public void RunsTheChosenBranchWithOuterScopeValues(bool cond, float[] expected)
    {
        // then: x + 10 (x from the outer graph); else: Identity(x).
        var thenBranch = new GraphBuilder("then")
            .Initializer("ten", Tensor.Scalar(10f))
            .Node("Add", ["x", "ten"], ["t_out"])
            .Output("t_out").Graph;
        var elseBranch = new GraphBuilder("else").Node("Identity", ["x"], ["e_out"]).Output("e_out").Graph;
        var model = new GraphBuilder()
            .Input("cond", DataType.Bool)
            .Input("x", DataType.Float32, 3)
            .Node("If", ["cond"], ["y"], NodeAttribute.Of("then_branch", thenBranch), NodeAttribute.Of("else_branch", elseBranch))
            .Output("y").ToModel(13);
        var result = GraphBuilder.Run(model, ("cond", Tensor.Scalar(cond)), ("x", s_x));
        TensorAssert.Close(expected, [3], (Tensor)result["y"]);
    }

    [Fact]
    public void BranchesOfDifferentShapesInferAnUnknownDimension()
    {
        var thenBranch = new GraphBuilder("then").Initializer("a", Tensor.Create(new[] { 1f, 2f }, 2)).Node("Identity", ["a"], ["t"]).Output("t").Graph;
        var elseBranch = new GraphBuilder("else").Initializer("b", Tensor.Create(new[] { 1f, 2f, 3f }, 3)).Node("Identity", ["b"], ["e"]).Output("e").Graph;
        var model = new GraphBuilder()
            .Input("cond", DataType.Bool, 1)
            .Node("If", ["cond"], ["y"], NodeAttribute.Of("then_branch", thenBranch), NodeAttribute.Of("else_branch", elseBranch))
            .Output("y").ToModel(11);
        var result = GraphBuilder.Run(model, ("cond", Tensor.Create(new[] { false }, 1)));
        Assert.Equal(new[] { 3 }, ((Tensor)result["y"]).DimsArray());
        var inferred = (TensorTypeInfo)model.Graph.Outputs[0].Type!;
        Assert.Equal(DataType.Float32, inferred.ElementType);
        Assert.Equal(1, inferred.Shape!.Rank);
        Assert.False(inferred.Shape[0].IsKnown);
    }

    [Fact]
    public void ReturnsSequences()
    {
        var thenBranch = new GraphBuilder("then").Node("SequenceConstruct", ["x", "x"], ["t"]).Output("t").Graph;
        var elseBranch = new GraphBuilder("else").Node("SequenceEmpty", [], ["e"]).Output("e").Graph;
        var model = new GraphBuilder()
            .Input("cond", DataType.Bool)
            .Input("x", DataType.Float32, 3)
            .Node("If", ["cond"], ["y"], NodeAttribute.Of("then_branch", thenBranch), NodeAttribute.Of("else_branch", elseBranch))
            .Output("y").ToModel(13);
        var taken = (TensorSequence)GraphBuilder.Run(model, ("cond", Tensor.Scalar(true)), ("x", s_x))["y"];
        Assert.Equal(2, taken.Items.Count);
        TensorAssert.Close(s_x, taken.Items[1]);
        var empty = (TensorSequence)GraphBuilder.Run(model, ("cond", Tensor.Scalar(false)), ("x", s_x))["y"];
        Assert.Empty(empty.Items);
        Assert.IsType<SequenceTypeInfo>(model.Graph.Outputs[0].Type);
    }

    [Fact]
    public void ConditionWithSeveralElementsIsAnError()
    {
        var branch = new GraphBuilder("b").Node("Identity", ["x"], ["o"]).Output("o").Graph;
        var model = new GraphBuilder()
            .Input("cond", DataType.Bool, 2)
            .Input("x", DataType.Float32, 3)
            .Node("If", ["cond"], ["y"], NodeAttribute.Of("then_branch", branch), NodeAttribute.Of("else_branch", branch))
            .Output("y").ToModel(13);
        var ex = Assert.ThrowsAny<AutoGlmException>(() => GraphBuilder.Run(model, ("cond", Tensor.Create(new[] { true, false }, 2)), ("x", s_x)));
        Assert.Contains("cond", ex.Message);
    }
}
