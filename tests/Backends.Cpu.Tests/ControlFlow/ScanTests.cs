using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.ControlFlow;

[OpTest("Scan")]
public sealed class ScanTests
{
    // body(sum, x_t) = (sum + x_t, sum + x_t): running sum as state and as scan output.
    private static Graph SumBody() => new GraphBuilder("body")
        .Input("sum_in", null)
        .Input("next", null)
        .Node("Add", ["sum_in", "next"], ["sum_out"])
        .Node("Identity", ["sum_out"], ["scan_out"])
        .Output("sum_out").Output("scan_out").Graph;

    [Fact]
    public void Opset9RunningSum()
    {
        var model = new GraphBuilder()
            .Input("initial", DataType.Float32, 2)
            .Input("x", DataType.Float32, 3, 2)
            .Node("Scan", ["initial", "x"], ["y", "z"], NodeAttribute.Of("body", SumBody()), NodeAttribute.Of("num_scan_inputs", 1L))
            .Output("y").Output("z").ToModel(9);
        var r = GraphBuilder.Run(model, ("initial", Tensor.Create(new[] { 0f, 0f }, 2)), ("x", Tensor.Create(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 3, 2)));
        TensorAssert.Close(new[] { 9f, 12f }, [2], (Tensor)r["y"]);
        TensorAssert.Close(new[] { 1f, 2f, 4f, 6f, 9f, 12f }, [3, 2], (Tensor)r["z"]);
    }

    [Fact]
    public void AxesAndDirections()
    {
        // x is [2, 3] scanned along axis 1 in reverse; the scan output is stacked along axis 1 in reverse too,
        // so z[:, t] holds the running sum that ended at column t.
        var model = new GraphBuilder()
            .Input("initial", DataType.Float32, 2)
            .Input("x", DataType.Float32, 2, 3)
            .Node("Scan", ["initial", "x"], ["y", "z"],
                NodeAttribute.Of("body", SumBody()),
                NodeAttribute.Of("num_scan_inputs", 1L),
                NodeAttribute.Of("scan_input_axes", new[] { 1L }),
                NodeAttribute.Of("scan_input_directions", new[] { 1L }),
                NodeAttribute.Of("scan_output_axes", new[] { -1L }),
                NodeAttribute.Of("scan_output_directions", new[] { 1L }))
            .Output("y").Output("z").ToModel(11);
        var x = Tensor.Create(new[] { 1f, 2f, 3f, 10f, 20f, 30f }, 2, 3);
        var r = GraphBuilder.Run(model, ("initial", Tensor.Create(new[] { 0f, 0f }, 2)), ("x", x));
        TensorAssert.Close(new[] { 6f, 60f }, [2], (Tensor)r["y"]);

        // Oracle: reverse cumulative sum along axis 1.
        var expected = new float[6];
        for (int row = 0; row < 2; row++)
        {
            float acc = 0;
            for (int col = 2; col >= 0; col--)
            {
                acc += x[(row * 3) + col];
                expected[(row * 3) + col] = acc;
            }
        }

        TensorAssert.Close(expected, [2, 3], (Tensor)r["z"]);
    }

    [Fact]
    public void Opset8BatchedWithSequenceLengths()
    {
        var model = new GraphBuilder()
            .Input("lens", DataType.Int64, 2)
            .Input("initial", DataType.Float32, 2, 1)
            .Input("x", DataType.Float32, 2, 3, 1)
            .Node("Scan", ["lens", "initial", "x"], ["y", "z"], NodeAttribute.Of("body", SumBody()), NodeAttribute.Of("num_scan_inputs", 1L))
            .Output("y").Output("z").ToModel(8);
        var r = GraphBuilder.Run(model,
            ("lens", Tensor.Create(new[] { 3L, 2L }, 2)),
            ("initial", Tensor.Create(new[] { 0f, 100f }, 2, 1)),
            ("x", Tensor.Create(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 2, 3, 1)));
        TensorAssert.Close(new[] { 6f, 109f }, [2, 1], (Tensor)r["y"]);
        TensorAssert.Close(new[] { 1f, 3f, 6f, 104f, 109f, 0f }, [2, 3, 1], (Tensor)r["z"]);
    }

    [Fact]
    public void Opset8WithoutSequenceLengths()
    {
        var model = new GraphBuilder()
            .Input("initial", DataType.Float32, 1, 2)
            .Input("x", DataType.Float32, 1, 3, 2)
            .Node("Scan", ["", "initial", "x"], ["y", "z"], NodeAttribute.Of("body", SumBody()), NodeAttribute.Of("num_scan_inputs", 1L))
            .Output("y").Output("z").ToModel(8);
        var r = GraphBuilder.Run(model, ("initial", Tensor.Create(new[] { 0f, 0f }, 1, 2)), ("x", Tensor.Create(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 1, 3, 2)));
        TensorAssert.Close(new[] { 9f, 12f }, [1, 2], (Tensor)r["y"]);
        TensorAssert.Close(new[] { 1f, 2f, 4f, 6f, 9f, 12f }, [1, 3, 2], (Tensor)r["z"]);
    }

    [Fact]
    public void ScanInputsOfDifferentLengthsAreAnError()
    {
        var body = new GraphBuilder("body")
            .Input("s", null).Input("a", null).Input("b", null)
            .Node("Add", ["a", "b"], ["ab"])
            .Node("Add", ["s", "ab"], ["s_out"])
            .Output("s_out").Graph;
        var model = new GraphBuilder()
            .Input("s0", DataType.Float32, 1)
            .Input("a", DataType.Float32, 3, 1)
            .Input("b", DataType.Float32, 4, 1)
            .Node("Scan", ["s0", "a", "b"], ["s"], NodeAttribute.Of("body", body), NodeAttribute.Of("num_scan_inputs", 2L))
            .Output("s").ToModel(11);
        var ex = Assert.ThrowsAny<AutoGlmException>(() => GraphBuilder.Run(model,
            ("s0", Tensor.Create(new[] { 0f }, 1)), ("a", new Tensor<float>([3, 1])), ("b", new Tensor<float>([4, 1]))));
        Assert.Contains("sequence length", ex.Message);
    }
}
