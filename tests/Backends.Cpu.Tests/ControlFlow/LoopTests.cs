using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.ControlFlow;

[OpTest("Loop")]
public sealed class LoopTests
{
    private static readonly Tensor<float> s_x = Tensor.Create(new[] { 1f, 2f }, 2);

    // body(i, cond, sum, count) = (cond, sum + x, count + i, [scan] sum + x); x comes from the outer graph.
    private static Graph SumBody(bool condOut = true) => new GraphBuilder("body")
        .Input("i", DataType.Int64)
        .Input("cond_in", DataType.Bool)
        .Input("sum_in", null)
        .Input("count_in", null)
        .Initializer("cond_const", Tensor.Scalar(condOut))
        .Node("Identity", ["cond_const"], ["cond_out"])
        .Node("Add", ["sum_in", "x"], ["sum_out"])
        .Node("Add", ["count_in", "i"], ["count_out"])
        .Node("Identity", ["sum_out"], ["scan_out"])
        .Output("cond_out").Output("sum_out").Output("count_out").Output("scan_out").Graph;

    private static Model LoopModel(Graph body, bool withM, bool withCond) => new GraphBuilder()
        .Input("M", DataType.Int64)
        .Input("cond", DataType.Bool)
        .Input("x", DataType.Float32, 2)
        .Initializer("sum0", Tensor.Create(new[] { 0f, 0f }, 2))
        .Initializer("count0", Tensor.Scalar(0L))
        .Node("Loop", [withM ? "M" : "", withCond ? "cond" : "", "sum0", "count0"], ["sum", "count", "scan"], NodeAttribute.Of("body", body))
        .Output("sum").Output("count").Output("scan").ToModel(13);

    [Fact]
    public void TripCountLoopCarriesStateAndStacksScanOutputs()
    {
        var r = GraphBuilder.Run(LoopModel(SumBody(), true, true), ("M", Tensor.Scalar(3L)), ("cond", Tensor.Scalar(true)), ("x", s_x));
        TensorAssert.Close(new[] { 3f, 6f }, [2], (Tensor)r["sum"]);
        Assert.Equal(0 + 1 + 2, ((Tensor)r["count"]).ToInt64Array()[0]);
        TensorAssert.Close(new[] { 1f, 2f, 2f, 4f, 3f, 6f }, [3, 2], (Tensor)r["scan"]);
    }

    [Fact]
    public void ZeroIterationsReturnInitialValuesAndEmptyScan()
    {
        var r = GraphBuilder.Run(LoopModel(SumBody(), true, true), ("M", Tensor.Scalar(0L)), ("cond", Tensor.Scalar(true)), ("x", s_x));
        TensorAssert.Close(new[] { 0f, 0f }, [2], (Tensor)r["sum"]);
        Assert.Equal(new[] { 0, 2 }, ((Tensor)r["scan"]).DimsArray());

        var falseCond = GraphBuilder.Run(LoopModel(SumBody(), true, true), ("M", Tensor.Scalar(5L)), ("cond", Tensor.Scalar(false)), ("x", s_x));
        Assert.Equal(new[] { 0, 2 }, ((Tensor)falseCond["scan"]).DimsArray());
    }

    [Fact]
    public void ConditionStopsAWhileLoop()
    {
        // No trip count: the body's cond output (false) ends the loop after one iteration.
        var r = GraphBuilder.Run(LoopModel(SumBody(condOut: false), false, true), ("M", Tensor.Scalar(0L)), ("cond", Tensor.Scalar(true)), ("x", s_x));
        TensorAssert.Close(new[] { 1f, 2f }, [2], (Tensor)r["sum"]);
        Assert.Equal(new[] { 1, 2 }, ((Tensor)r["scan"]).DimsArray());
    }

    [Fact]
    public void WithoutCondInputTheBodyConditionIsIgnored()
    {
        var r = GraphBuilder.Run(LoopModel(SumBody(condOut: false), true, false), ("M", Tensor.Scalar(4L)), ("cond", Tensor.Scalar(true)), ("x", s_x));
        TensorAssert.Close(new[] { 4f, 8f }, [2], (Tensor)r["sum"]);
        Assert.Equal(6L, ((Tensor)r["count"]).ToInt64Array()[0]);
    }

    [Fact]
    public void LoopCarriedSequenceGrows()
    {
        var body = new GraphBuilder("body")
            .Input("i", DataType.Int64)
            .Input("cond_in", DataType.Bool)
            .Input("seq_in", null)
            .Node("Identity", ["cond_in"], ["cond_out"])
            .Node("SequenceInsert", ["seq_in", "i"], ["seq_out"])
            .Output("cond_out").Output("seq_out").Graph;
        var model = new GraphBuilder()
            .Input("M", DataType.Int64)
            .Input("cond", DataType.Bool)
            .Node("SequenceEmpty", [], ["empty"], NodeAttribute.Of("dtype", (long)DataType.Int64))
            .Node("Loop", ["M", "cond", "empty"], ["seq"], NodeAttribute.Of("body", body))
            .Output("seq").ToModel(13);
        var seq = (TensorSequence)GraphBuilder.Run(model, ("M", Tensor.Scalar(4L)), ("cond", Tensor.Scalar(true)))["seq"];
        Assert.Equal(new long[] { 0, 1, 2, 3 }, seq.Items.Select(t => t.ToInt64Array()[0]).ToArray());
    }

    [Fact]
    public void GrowingCarriedTensorInfersAnUnknownDimension()
    {
        // v_out = concat(v_in, v_in): [1] -> [2] -> [4] -> [8]; inference must not pin the first iteration's [2].
        var body = new GraphBuilder("body")
            .Input("i", DataType.Int64)
            .Input("cond_in", DataType.Bool)
            .Input("v_in", null)
            .Node("Identity", ["cond_in"], ["cond_out"])
            .Node("SequenceConstruct", ["v_in", "v_in"], ["pair"])
            .Node("ConcatFromSequence", ["pair"], ["v_out"], NodeAttribute.Of("axis", 0L))
            .Output("cond_out").Output("v_out").Graph;
        var model = new GraphBuilder()
            .Input("M", DataType.Int64)
            .Input("v", DataType.Float32, 1)
            .Node("Loop", ["M", "", "v"], ["v_final"], NodeAttribute.Of("body", body))
            .Output("v_final").ToModel(13);
        var result = (Tensor)GraphBuilder.Run(model, ("M", Tensor.Scalar(3L)), ("v", Tensor.Create(new[] { 2f }, 1)))["v_final"];
        TensorAssert.Close(Enumerable.Repeat(2f, 8).ToArray(), [8], result);
        var inferred = (TensorTypeInfo)model.Graph.Outputs[0].Type!;
        Assert.Equal(1, inferred.Shape!.Rank);
        Assert.False(inferred.Shape[0].IsKnown);
    }

    [Fact]
    public void ScanOutputChangingShapeIsAnError()
    {
        // scan output = the carried value, which grows by concatenation each iteration.
        var body = new GraphBuilder("body")
            .Input("i", DataType.Int64)
            .Input("cond_in", DataType.Bool)
            .Input("v_in", null)
            .Node("Identity", ["cond_in"], ["cond_out"])
            .Node("SequenceConstruct", ["v_in", "v_in"], ["pair"])
            .Node("ConcatFromSequence", ["pair"], ["v_out"], NodeAttribute.Of("axis", 0L))
            .Node("Identity", ["v_out"], ["scan_out"])
            .Output("cond_out").Output("v_out").Output("scan_out").Graph;
        var model = new GraphBuilder()
            .Input("M", DataType.Int64)
            .Input("v", DataType.Float32, 1)
            .Node("Loop", ["M", "", "v"], ["v_final", "scan"], NodeAttribute.Of("body", body))
            .Output("v_final").Output("scan").ToModel(13);
        var ex = Assert.ThrowsAny<AutoGlmException>(() => GraphBuilder.Run(model, ("M", Tensor.Scalar(3L)), ("v", Tensor.Create(new[] { 1f }, 1))));
        Assert.Contains("scan output 0", ex.Message);
    }

    [Fact]
    public void NonScalarTripCountIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => GraphBuilder.Run(
            new GraphBuilder()
                .Input("M", DataType.Int64, 2)
                .Input("x", DataType.Float32, 2)
                .Initializer("sum0", Tensor.Create(new[] { 0f, 0f }, 2))
                .Initializer("count0", Tensor.Scalar(0L))
                .Node("Loop", ["M", "", "sum0", "count0"], ["sum", "count", "scan"], NodeAttribute.Of("body", SumBody()))
                .Output("sum").ToModel(13),
            ("M", Tensor.Create(new[] { 1L, 2L }, 2)),
            ("x", s_x)));
        Assert.Contains("M must hold exactly one element", ex.Message);
    }
}
