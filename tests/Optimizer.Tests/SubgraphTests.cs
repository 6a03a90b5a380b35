using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests;

/// <summary>Passes rewrite inside If branches and read outer-scope constants without breaking the bodies.</summary>
public sealed class SubgraphTests
{
    private static Model Build()
    {
        // then: y = Relu(Identity(x)) + Relu(x) + (k * 2), reading x and k from the outer scope; else: y = Neg(x).
        var then = new GraphBuilder("then")
            .Initializer("two", Tensor.Scalar(2f))
            .Node("Identity", ["x"], ["xi"])
            .Node("Relu", ["xi"], ["r1"])
            .Node("Relu", ["x"], ["r2"])
            .Node("Mul", ["k", "two"], ["k2"])
            .Node("Sum", ["r1", "r2", "k2"], ["t"])
            .Output("t")
            .Graph;
        var otherwise = new GraphBuilder("else").Node("Neg", ["x"], ["e"]).Output("e").Graph;
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Input("c", DataType.Bool)
            .Initializer("k", Random(7, 3))
            .Node("If", ["c"], ["y"], NodeAttribute.Of("then_branch", then), NodeAttribute.Of("else_branch", otherwise))
            .Output("y")
            .Build();
        return model;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BranchesAreOptimizedAndStillRun(bool condition)
    {
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 2, 3)), ("c", Tensor.Scalar(condition))));
        var then = session.Model.Graph.Nodes.Single().Attributes.GetRequiredGraph("then_branch");
        Assert.Equal(["Relu", "Sum"], then.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void LoopBodyFoldsLoopInvariantConstantsAndKeepsItsOutputs()
    {
        // body(iter, cond_in, v_in): cond_out = Identity(cond_in); v_out = v_in + Relu(k) + Relu(k) (k from the outer scope).
        static Model Build()
        {
            var body = new GraphBuilder("body")
                .Input("iter", DataType.Int64)
                .Input("cond_in", DataType.Bool)
                .Input("v_in", DataType.Float32, 3)
                .Node("Identity", ["cond_in"], ["cond_out"])
                .Node("Relu", ["k"], ["rk1"])
                .Node("Relu", ["k"], ["rk2"])
                .Node("Sum", ["v_in", "rk1", "rk2"], ["v_out"])
                .Output("cond_out")
                .Output("v_out")
                .Graph;
            return new ModelBuilder()
                .Input("v0", DataType.Float32, 3)
                .Initializer("trip", Tensor.Scalar(3L))
                .Initializer("go", Tensor.Scalar(true))
                .Initializer("k", Random(9, 3))
                .Node("Loop", ["trip", "go", "v0"], ["v"], NodeAttribute.Of("body", body))
                .Output("v")
                .Build();
        }

        var session = AssertOutputsPreserved(Build, Feeds(("v0", Random(2, 3))));
        var body = session.Model.Graph.Nodes.Single().Attributes.GetRequiredGraph("body");
        Assert.Equal(["Identity", "Sum"], body.Nodes.Select(n => n.OpType));
        Assert.Equal(["cond_out", "v_out"], body.Outputs.Select(o => o.Name));
    }
}
