using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Recurrent;

/// <summary>Shape inference of LSTM/GRU/RNN on symbolic shapes (the kernel tests check concrete ones against the kernels).</summary>
public sealed class RecurrentShapeInferenceTests
{
    private static readonly Dim s_seq = Dim.Symbolic("S");
    private static readonly Dim s_batch = Dim.Symbolic("N");

    [Theory]
    [InlineData("LSTM", 4, 0L)]
    [InlineData("GRU", 3, 0L)]
    [InlineData("RNN", 1, 1L)]
    [InlineData("LSTM", 4, 1L)]
    public void OutputsFollowLayoutAndDirections(string op, int gates, long layout)
    {
        var model = new ModelBuilder(14)
            .Input("x", DataType.Float32, layout == 1 ? [s_batch, s_seq, 3] : [s_seq, s_batch, 3])
            .Input("w", DataType.Float32, 2, gates * 5, 3)
            .Input("r", DataType.Float32, 2, gates * 5, 5)
            .Node(op, ["x", "w", "r"], ["y", "y_h"], NodeAttribute.Of("direction", "bidirectional"), NodeAttribute.Of("layout", layout))
            .Output("y")
            .Output("y_h")
            .Build();
        ShapeInferencer.Run(model, new ShapeInferenceOptions { Strict = true });
        var y = (TensorTypeInfo)model.Graph.ValueInfos["y"].Type!;
        var yh = (TensorTypeInfo)model.Graph.ValueInfos["y_h"].Type!;
        Assert.Equal(DataType.Float32, y.ElementType);
        Assert.Equal(layout == 1 ? new Shape(s_batch, s_seq, 2, 5) : new Shape(s_seq, 2, s_batch, 5), y.Shape);
        Assert.Equal(layout == 1 ? new Shape(s_batch, 2, 5) : new Shape(2, s_batch, 5), yh.Shape);
    }

    [Fact]
    public void HiddenSizeDisagreeingWithWIsAnError()
    {
        var model = new ModelBuilder(14)
            .Input("x", DataType.Float32, s_seq, s_batch, 3)
            .Input("w", DataType.Float32, 1, 12, 3)
            .Input("r", DataType.Float32, 1, 12, 4)
            .Node("GRU", ["x", "w", "r"], ["y"], NodeAttribute.Of("hidden_size", 5L))
            .Output("y")
            .Build();
        var ex = Assert.Throws<ShapeInferenceException>(() => ShapeInferencer.Run(model, new ShapeInferenceOptions { Strict = true }));
        Assert.Contains("input W has shape [1,12,3], expected [1,15,3]", ex.Message);
    }
}
