using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

public sealed class EliminateCommonSubexpressionsTests
{
    // Two identical Relu → Sigmoid branches merge; the Add of the two then reads one value twice.
    private static Model Build() => new ModelBuilder()
        .Input("x", DataType.Float32, 2, 3)
        .Node("Relu", ["x"], ["r1"])
        .Node("Relu", ["x"], ["r2"])
        .Node("LeakyRelu", ["r1"], ["s1"], NodeAttribute.Of("alpha", 0.2f))
        .Node("LeakyRelu", ["r2"], ["s2"], NodeAttribute.Of("alpha", 0.2f))
        .Node("Add", ["s1", "s2"], ["y"])
        .Output("y")
        .Build();

    [Fact]
    public void DuplicateChainsMerge()
    {
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 2, 3))));
        Assert.Equal(1, Count(session, "Relu"));
        Assert.Equal(1, Count(session, "LeakyRelu"));
        var add = session.Model.Graph.Nodes.Single(n => n.OpType == "Add");
        Assert.Equal(add.Inputs[0], add.Inputs[1]);
    }

    [Fact]
    public void DifferentAttributesRandomOpsAndGraphOutputsStay()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Node("LeakyRelu", ["x"], ["a"], NodeAttribute.Of("alpha", 0.2f))
            .Node("LeakyRelu", ["x"], ["b"], NodeAttribute.Of("alpha", 0.3f))
            .Node("RandomUniformLike", ["x"], ["r1"])
            .Node("RandomUniformLike", ["x"], ["r2"])
            .Node("Relu", ["x"], ["o1"])
            .Node("Relu", ["x"], ["o2"])
            .Node("Sum", ["a", "b", "r1", "r2"], ["y"])
            .Output("y")
            .Output("o1")
            .Output("o2")
            .Build();
        AssertUnchanged(new EliminateCommonSubexpressions(), model);
    }
}
