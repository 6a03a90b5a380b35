using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Transform.TransformOracle;

namespace OpenAutoGlm.Backends.Cpu.Tests.Transform;

[OpTest("Shape")]
public sealed class ShapeTests
{
    [Theory]
    [InlineData(null, null, new long[] { 2, 3, 4, 5 })]
    [InlineData(1L, null, new long[] { 3, 4, 5 })]
    [InlineData(-1L, null, new long[] { 5 })]
    [InlineData(1L, -1L, new long[] { 3, 4 })]
    [InlineData(-10L, 10L, new long[] { 2, 3, 4, 5 })]
    [InlineData(3L, 1L, new long[] { })]
    public void SlicesDimsByStartAndEnd(long? start, long? end, long[] expected)
    {
        var tester = new OpTester("Shape", 15).Input(new StringTensor([2, 3, 4, 5]));
        if (start is long s)
        {
            tester.Attr("start", s);
        }

        if (end is long e)
        {
            tester.Attr("end", e);
        }

        var y = tester.RunSingle();
        Assert.Equal(DataType.Int64, y.DataType);
        Assert.Equal(expected, y.ToInt64Array());
    }

    [Fact]
    public void IgnoresStartBeforeOpset15()
    {
        var y = new OpTester("Shape", 13).Input(Iota(2, 3)).Attr("start", 1L).RunSingle();
        Assert.Equal(new long[] { 2, 3 }, y.ToInt64Array());
    }

    [Fact]
    public void StaticShapeSubgraphResolvesAtInference()
    {
        // Shape -> Gather -> Unsqueeze -> Concat -> Reshape: all foldable once x has a static shape.
        var model = new ModelBuilder()
            .Input("x", DataType.Float32, 2, 3, 4)
            .Initializer("zero", Tensor.Scalar(0L))
            .Initializer("axes", Longs(0))
            .Initializer("minus1", Longs(-1))
            .Node("Shape", ["x"], ["s"])
            .Node("Gather", ["s", "zero"], ["batch"])
            .Node("Unsqueeze", ["batch", "axes"], ["batch1"])
            .Node("Concat", ["batch1", "minus1"], ["target"], NodeAttribute.Of("axis", 0L))
            .Node("Reshape", ["x", "target"], ["y"])
            .Output("y")
            .Build();
        Assert.Equal("float32[2,12]", SessionOutputs(model)[0].Type!.ToString());
    }

    [Fact]
    public void InfersLengthWithSymbolicDims()
    {
        var known = new ModelBuilder().Input("x", DataType.Float32, 2, 3).Node("Shape", ["x"], ["s"]).Output("s").Build();
        Assert.Equal("int64[2]", SessionOutputs(known)[0].Type!.ToString());
        var symbolic = new ModelBuilder().Input("x", DataType.Float32, Dim.Symbolic("n"), 3).Node("Shape", ["x"], ["s"]).Output("s").Build();
        Assert.Equal("int64[2]", SessionOutputs(symbolic)[0].Type!.ToString());
    }

    [Fact]
    public void MissingInputIsRejected()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Shape").Input(null).RunSingle());
        Assert.Contains("Shape", ex.Message);
    }
}
