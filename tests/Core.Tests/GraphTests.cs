using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Core.Tests;

public sealed class GraphTests
{
    [Fact]
    public void TopologicalSortOrdersProducersFirst()
    {
        var g = new Graph();
        g.Inputs.Add(ValueInfo.Tensor("x", DataType.Float32, new Shape(2)));
        g.Nodes.Add(new Node("Relu", ["y"], ["z"], "second"));
        g.Nodes.Add(new Node("Relu", ["x"], ["y"], "first"));
        g.Outputs.Add(new ValueInfo("z", null));
        var order = GraphOrder.TopologicalSort(g);
        Assert.Equal(["first", "second"], order.Select(n => n.Name));
    }

    [Fact]
    public void UndefinedInputNamesNodeAndValue()
    {
        var g = new Graph();
        g.Nodes.Add(new Node("Relu", ["nowhere"], ["y"], "r1"));
        var ex = Assert.Throws<GraphValidationException>(() => GraphOrder.TopologicalSort(g));
        Assert.Contains("r1", ex.Message);
        Assert.Contains("nowhere", ex.Message);
    }

    [Fact]
    public void CycleIsReported()
    {
        var g = new Graph("cyclic");
        g.Nodes.Add(new Node("Relu", ["b"], ["a"], "n1"));
        g.Nodes.Add(new Node("Relu", ["a"], ["b"], "n2"));
        var ex = Assert.Throws<GraphValidationException>(() => GraphOrder.TopologicalSort(g));
        Assert.Contains("cycle", ex.Message);
    }

    [Fact]
    public void DuplicateProducerIsReported()
    {
        var g = new Graph();
        g.Inputs.Add(ValueInfo.Tensor("x", DataType.Float32, null));
        g.Nodes.Add(new Node("Relu", ["x"], ["y"], "a"));
        g.Nodes.Add(new Node("Relu", ["x"], ["y"], "b"));
        var ex = Assert.Throws<GraphValidationException>(() => GraphOrder.TopologicalSort(g));
        Assert.Contains("'y'", ex.Message);
    }

    [Fact]
    public void SubgraphOuterScopeReferencesAreFound()
    {
        var body = new Graph("then");
        body.Nodes.Add(new Node("Relu", ["outer_value"], ["r"], "inner"));
        body.Outputs.Add(new ValueInfo("r", null));
        Assert.Equal(["outer_value"], body.OuterScopeReferences());

        var main = new Graph("main");
        main.Inputs.Add(ValueInfo.Tensor("cond", DataType.Bool, Shape.Scalar));
        main.Inputs.Add(ValueInfo.Tensor("outer_value", DataType.Float32, null));
        var ifNode = new Node("If", ["cond"], ["out"], "if");
        ifNode.Attributes.Set(NodeAttribute.Of("then_branch", body));
        ifNode.Attributes.Set(NodeAttribute.Of("else_branch", body));
        main.Nodes.Add(ifNode);
        main.Outputs.Add(new ValueInfo("out", null));
        GraphOrder.ValidateAndSort(main);
        Assert.Same(main, body.Parent);
        Assert.Contains("outer_value", GraphOrder.NodeReads(ifNode));
    }

    [Fact]
    public void AttributeKindMismatchNamesNodeAndAttribute()
    {
        var n = new Node("Conv", ["x"], ["y"], "conv7");
        n.Attributes.Set(NodeAttribute.Of("group", "two"));
        var ex = Assert.Throws<GraphValidationException>(() => n.Attributes.GetInt("group", 1));
        Assert.Contains("conv7", ex.Message);
        Assert.Contains("group", ex.Message);
    }

    [Fact]
    public void ShapeInferenceFillsIntermediateShapes()
    {
        var model = new ModelBuilder()
            .Input("a", DataType.Float32, Dim.Symbolic("N"), 4)
            .Input("b", DataType.Float32, 4)
            .Node("Add", ["a", "b"], ["s"])
            .Node("Relu", ["s"], ["y"])
            .Output("y")
            .Build();
        var report = ShapeInferencer.Run(model);
        Assert.Empty(report.Errors);
        Assert.Equal("float32[N,4]", model.Graph.ValueInfos["s"].Type!.ToString());
        Assert.Equal("float32[N,4]", model.Graph.Outputs[0].Type!.ToString());
    }

    [Fact]
    public void ShapeInferenceReportsIncompatibleShapesWithoutThrowing()
    {
        var model = new ModelBuilder()
            .Input("a", DataType.Float32, 2, 3)
            .Input("b", DataType.Float32, 4)
            .Node("Add", ["a", "b"], ["y"])
            .Output("y")
            .Build();
        var report = ShapeInferencer.Run(model);
        Assert.Single(report.Errors);
        Assert.Contains("Add", report.Errors[0]);
        Assert.Throws<ShapeInferenceException>(() => ShapeInferencer.Run(model, new ShapeInferenceOptions { Strict = true }));
    }

    [Fact]
    public void UnknownOpsAreListed()
    {
        var model = new ModelBuilder()
            .Input("a", DataType.Float32, 2)
            .NodeInDomain("com.example", "Mystery", ["a"], ["y"])
            .Output("y")
            .Build();
        var report = ShapeInferencer.Run(model);
        Assert.Contains("com.example.Mystery", report.OpsWithoutInference);
    }
}
