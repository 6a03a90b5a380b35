using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Backends.Cpu.Tests.Nn.NnTestData;

namespace OpenAutoGlm.Backends.Cpu.Tests.Nn;

[OpTest("MaxUnpool")]
public sealed class MaxUnpoolTests
{
    [Fact]
    public void InvertsMaxPool()
    {
        // MaxPool's own indices scattered back: every max lands where it came from, zeros elsewhere.
        var x = Floats(1, [2, 3, 6, 4]);
        var pooled = new OpTester("MaxPool", 12).Input(x).Attr("kernel_shape", new long[] { 2, 2 }).Attr("strides", new long[] { 2, 2 }).Outputs(2).Run();
        var y = new OpTester("MaxUnpool", 11).Input(pooled[0]).Input(pooled[1]).Attr("kernel_shape", new long[] { 2, 2 }).Attr("strides", new long[] { 2, 2 }).RunSingle();
        TensorAssert.Close(Reference(pooled[0], pooled[1].ToInt64Array(), [2, 3, 6, 4], [2, 3, 6, 4]), y, 0, 0);
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3 }, new[] { 3 }, new[] { 2 }, new[] { 0, 0 }, null)]
    [InlineData(new[] { 2, 1, 2, 3 }, new[] { 2, 3 }, new[] { 2, 1 }, new[] { 1, 0, 0, 1 }, null)]
    [InlineData(new[] { 1, 2, 2, 2 }, new[] { 2, 2 }, new[] { 2, 2 }, new[] { 0, 0, 0, 0 }, new[] { 1, 2, 5, 6 })]
    [InlineData(new[] { 1, 1, 2, 2, 2 }, new[] { 2, 2, 2 }, new[] { 2, 2, 2 }, new[] { 0, 0, 0, 0, 0, 0 }, null)]
    public void ScattersRandomIndices(int[] xDims, int[] kernel, int[] strides, int[] pads, int[]? outputShape)
    {
        int rank = xDims.Length - 2;
        int[] natural = xDims.ToArray();
        for (int d = 0; d < rank; d++)
        {
            natural[d + 2] = ((xDims[d + 2] - 1) * strides[d]) + kernel[d] - pads[d] - pads[d + rank];
        }

        var x = Floats(2, xDims);
        var rng = new Random(3);
        long[] indices = Enumerable.Range(0, Product(natural)).OrderBy(_ => rng.Next()).Take(x.Length).Select(i => (long)i).ToArray();
        var tester = new OpTester("MaxUnpool", 11).Input(x).Input(Tensor.Create(indices, xDims))
            .Attr("kernel_shape", kernel.Select(v => (long)v).ToArray()).Attr("strides", strides.Select(v => (long)v).ToArray())
            .Attr("pads", pads.Select(v => (long)v).ToArray());
        if (outputShape is not null)
        {
            tester.Input(Tensor.Create(outputShape.Select(v => (long)v).ToArray(), outputShape.Length));
        }

        TensorAssert.Close(Reference(x, indices, natural, outputShape ?? natural), tester.RunSingle(), 0, 0);
    }

    [Fact]
    public void IndexOutOfRangeIsRejected()
    {
        var x = Floats(1, [1, 1, 2, 2]);
        var indices = Tensor.Create(new long[] { 0, 3, 16, 5 }, 1, 1, 2, 2);
        Rejects(() => new OpTester("MaxUnpool", 11).Input(x).Input(indices).Attr("kernel_shape", new long[] { 2, 2 }).Attr("strides", new long[] { 2, 2 }).Run(), "indices value 16", "out of range");
    }

    [Fact]
    public void IndicesShapeMismatchIsRejected()
    {
        var x = Floats(1, [1, 1, 2, 2]);
        var indices = Tensor.Create(new long[] { 0, 3, 5 }, 1, 1, 3, 1);
        Rejects(() => new OpTester("MaxUnpool", 11).Input(x).Input(indices).Attr("kernel_shape", new long[] { 2, 2 }).Run(), "[1,1,3,1]", "[1,1,2,2]");
    }

    [Fact]
    public void OutputShapeSmallerThanUnpooledIsRejected()
    {
        var x = Floats(1, [1, 1, 2, 2]);
        var indices = Tensor.Create(new long[] { 0, 3, 8, 15 }, 1, 1, 2, 2);
        var shape = Tensor.Create(new long[] { 1, 1, 3, 4 }, 4);
        Rejects(() => new OpTester("MaxUnpool", 11).Input(x).Input(indices).Input(shape).Attr("kernel_shape", new long[] { 2, 2 }).Attr("strides", new long[] { 2, 2 }).Run(), "output_shape [1,1,3,4]");
    }

    /// <summary>Y = zeros(output dims); the element at flat index I[i] of the unpooled dims (same coordinates in Y) = X[i].</summary>
    private static Tensor Reference(Tensor x, long[] indices, int[] natural, int[] outDims)
    {
        var y = new double[Product(outDims)];
        var xv = x.ToDoubleArray();
        for (int i = 0; i < indices.Length; i++)
        {
            y[Linear(outDims, Unravel((int)indices[i], natural))] = xv[i];
        }

        return FromDoubles(x.DataType, y, outDims);
    }
}
