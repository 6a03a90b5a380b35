using OpenAutoGlm.Core;
using OpenAutoGlm.Optimizer.Passes;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

public sealed class EliminateRedundantCastsTests
{
    private static NodeAttribute To(DataType t) => NodeAttribute.Of("to", (long)t);

    [Fact]
    public void LosslessRoundTripAndSameTypeCastsDisappear()
    {
        // float32 → float64 → float32 is the identity; a Cast to float32 of a float32 too; int8 → int32 → float32 is int8 → float32.
        Model Build() => new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3)
            .Input("q", DataType.Int8, 4)
            .Node("Cast", ["x"], ["d"], To(DataType.Float64))
            .Node("Cast", ["d"], ["f"], To(DataType.Float32))
            .Node("Cast", ["f"], ["g"], To(DataType.Float32))
            .Node("Relu", ["g"], ["y"])
            .Node("Cast", ["q"], ["qi"], To(DataType.Int32))
            .Node("Cast", ["qi"], ["qf"], To(DataType.Float32))
            .Node("Neg", ["qf"], ["z"])
            .Output("y")
            .Output("z")
            .Build();
        var session = AssertOutputsPreserved(Build, Feeds(("x", Random(1, 2, 3)), ("q", Tensor.Create(new sbyte[] { -128, -1, 0, 127 }, 4))));
        Assert.Equal(1, Count(session, "Cast"));
        Assert.Equal(DataType.Int8, session.Model.Graph.TypeOf(session.Model.Graph.Nodes.Single(n => n.OpType == "Cast").Inputs[0]) is TensorTypeInfo t ? t.ElementType : DataType.Undefined);
    }

    [Fact]
    public void LossyChainsStay()
    {
        // float32 → float16 → float32 rounds; int32 → int8 → int32 wraps: neither may be shortened.
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 3)
            .Input("i", DataType.Int32, 3)
            .Node("Cast", ["x"], ["h"], To(DataType.Float16))
            .Node("Cast", ["h"], ["y"], To(DataType.Float32))
            .Node("Cast", ["i"], ["b"], To(DataType.Int8))
            .Node("Cast", ["b"], ["z"], To(DataType.Int32))
            .Output("y")
            .Output("z")
            .Build();
        AssertUnchanged(new EliminateRedundantCasts(), model);
    }

    [Fact]
    public void CastProducingAGraphOutputFromAGraphInputStays()
    {
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 3)
            .Node("Cast", ["x"], ["y"], To(DataType.Float32))
            .Output("y")
            .Build();
        AssertUnchanged(new EliminateRedundantCasts(), model);
    }
}
