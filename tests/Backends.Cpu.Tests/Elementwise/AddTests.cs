using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Add")]
public sealed class AddTests
{
    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 3 }, new[] { 3 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 1 }, new[] { 5, 7, 33 })]
    [InlineData(new[] { 4, 1, 17 }, new[] { 4, 9, 17 })]
    public void BroadcastsLikeNumpy(int[] aDims, int[] bDims)
    {
        var a = Random(aDims, 1);
        var b = Random(bDims, 2);
        var result = new OpTester("Add").Input(a).Input(b).RunSingle();
        TensorAssert.Close(Reference(a, b), result);
    }

    [Fact]
    public void AddsIntegers()
    {
        var a = Tensor.Create(new long[] { 1, 2, 3 }, 3);
        var b = Tensor.Create(new long[] { 10 }, 1);
        var result = new OpTester("Add").Input(a).Input(b).RunSingle();
        Assert.Equal(new long[] { 11, 12, 13 }, result.ToInt64Array());
    }

    [Fact]
    public void IncompatibleShapesNameTheNode()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Add").Input(Random([2, 3], 1)).Input(Random([4], 2)).RunSingle());
        Assert.Contains("Add", ex.Message);
        Assert.Contains("[2,3]", ex.Message);
    }

    [Fact]
    public void MixedDtypesNameBoth()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() =>
            new OpTester("Add").Input(Random([2, 3], 1)).Input(Tensor.Create(new double[] { 1, 2, 3 }, 3)).RunSingle());
        Assert.Contains("float32", ex.Message);
        Assert.Contains("float64", ex.Message);
    }

    [Fact]
    public void EveryLengthAndTail()
    {
        for (int n = 0; n <= 70; n++)
        {
            var a = Random([n], n);
            var b = Random([n], n + 100);
            TensorAssert.Close(Reference(a, b), new OpTester("Add").Input(a).Input(b).RunSingle());
        }
    }

    private static Tensor<float> Random(int[] dims, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor<float>(dims);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return t;
    }

    // Oracle: explicit index arithmetic, independent of the broadcast driver.
    private static Tensor<float> Reference(Tensor<float> a, Tensor<float> b)
    {
        var dims = ShapeRules.Broadcast(a.Dims, b.Dims);
        var c = new Tensor<float>(dims);
        var idx = new int[dims.Length];
        for (int i = 0; i < c.Length; i++)
        {
            int r = i;
            for (int d = dims.Length - 1; d >= 0; d--)
            {
                idx[d] = r % dims[d];
                r /= dims[d];
            }

            c[i] = a[Offset(a.Dims, idx)] + b[Offset(b.Dims, idx)];
        }

        return c;
    }

    private static int Offset(ReadOnlySpan<int> dims, int[] idx)
    {
        int off = 0;
        int shift = idx.Length - dims.Length;
        for (int d = 0; d < dims.Length; d++)
        {
            off = (off * dims[d]) + (dims[d] == 1 ? 0 : idx[d + shift]);
        }

        return off;
    }
}
