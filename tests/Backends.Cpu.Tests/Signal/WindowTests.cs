using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Signal;

[OpTest("HannWindow")]
[OpTest("HammingWindow")]
[OpTest("BlackmanWindow")]
public sealed class WindowTests
{
    public static TheoryData<string, int, bool> Cases()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (string op in new[] { "HannWindow", "HammingWindow", "BlackmanWindow" })
        {
            foreach (int size in new[] { 0, 1, 2, 3, 10, 64, 101 })
            {
                data.Add(op, size, true);
                data.Add(op, size, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesClosedForm(string op, int size, bool periodic)
    {
        // A constant size lets shape inference compute [size], which OpTester checks against the kernel.
        var result = new OpTester(op, 17).ConstantInput(Tensor.Scalar((long)size)).Attr("periodic", periodic ? 1L : 0L).Attr("output_datatype", (long)DataType.Float64).RunSingle();
        Assert.Equal(DataType.Float64, result.DataType);
        Assert.Equal([size], result.Dims.ToArray());
        var actual = result.ToDoubleArray();
        for (int t = 0; t < size; t++)
        {
            Assert.Equal(ClosedForm(op, t, size, periodic), actual[t], 1e-12);
        }
    }

    [Fact]
    public void HannEndpointsAndPeak()
    {
        // Symmetric Hann of size 5: sin^2(pi t / 4) = 0, 0.5, 1, 0.5, 0; periodic size 4 is the same without the last point.
        var symmetric = new OpTester("HannWindow", 17).Input(Tensor.Scalar(5)).Attr("periodic", 0L).RunSingle();
        TensorAssert.Close(new[] { 0f, 0.5f, 1f, 0.5f, 0f }, [5], symmetric);
        var periodic = new OpTester("HannWindow", 17).Input(Tensor.Scalar(4)).RunSingle();
        TensorAssert.Close(new[] { 0f, 0.5f, 1f, 0.5f }, [4], periodic);
    }

    [Fact]
    public void HammingAndBlackmanKnownValues()
    {
        // Hamming at t = 0 is 25/46 - 21/46 = 2/23; Blackman at t = 0 is 0.42 - 0.5 + 0.08 = 0 and 1 at the centre.
        var hamming = new OpTester("HammingWindow", 17).Input(Tensor.Scalar(3L)).Attr("periodic", 0L).RunSingle();
        TensorAssert.Close(new[] { 2f / 23, 1f, 2f / 23 }, [3], hamming);
        var blackman = new OpTester("BlackmanWindow", 17).Input(Tensor.Scalar(3L)).Attr("periodic", 0L).RunSingle();
        TensorAssert.Close(new[] { 0f, 1f, 0f }, [3], blackman, 1e-6, 1e-7);
    }

    [Fact]
    public void DefaultOutputIsFloat32AndIntegerOutputTruncates()
    {
        var f = new OpTester("HannWindow", 17).Input(Tensor.Scalar(4L)).RunSingle();
        Assert.Equal(DataType.Float32, f.DataType);
        var i = new OpTester("HannWindow", 17).Input(Tensor.Scalar(4L)).Attr("output_datatype", (long)DataType.Int32).RunSingle();
        Assert.Equal(DataType.Int32, i.DataType);
        Assert.Equal(new long[] { 0, 0, 1, 0 }, i.ToInt64Array());
    }

    [Fact]
    public void NegativeSizeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("HammingWindow", 17).Input(Tensor.Scalar(-3L)).RunSingle());
        Assert.Contains("size", ex.Message);
    }

    [Fact]
    public void NonScalarSizeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("BlackmanWindow", 17).Input(Tensor.Create(new[] { 3L, 4L }, 2)).RunSingle());
        Assert.Contains("scalar", ex.Message);
    }

    [Fact]
    public void StringOutputTypeIsAnError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("HannWindow", 17).Input(Tensor.Scalar(4L)).Attr("output_datatype", (long)DataType.String).RunSingle());
        Assert.Contains("output_datatype", ex.Message);
    }

    // Oracle: the textbook windows with N = size (periodic) or size - 1 (symmetric); a one-point window is 1.
    private static double ClosedForm(string op, int t, int size, bool periodic)
    {
        double n = periodic ? size : size - 1;
        if (n == 0)
        {
            return 1;
        }

        double x = 2 * Math.PI * t / n;
        return op switch
        {
            "HannWindow" => Math.Pow(Math.Sin(Math.PI * t / n), 2),
            "HammingWindow" => 0.54347826086956519 - (0.45652173913043481 * Math.Cos(x)),
            _ => 0.42 - (0.5 * Math.Cos(x)) + (0.08 * Math.Cos(2 * x)),
        };
    }
}
