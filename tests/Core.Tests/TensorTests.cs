using OpenAutoGlm.Core;

namespace OpenAutoGlm.Core.Tests;

public sealed class TensorTests
{
    [Fact]
    public void BorrowsMemoryWithoutCopying()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var t = Tensor.Create(data.AsMemory(), 2, 3);
        t.Span[4] = 42;
        Assert.Equal(42, data[4]);
        Assert.Equal(6, t.Length);
        Assert.Equal("[2,3]", t.ShapeString);
    }

    [Fact]
    public void BorrowsASliceOfALargerBuffer()
    {
        var data = new int[10];
        var t = Tensor.Create(data.AsMemory(2, 4), 2, 2);
        t.Span[0] = 7;
        Assert.Equal(7, data[2]);
    }

    [Fact]
    public void ReshapeSharesStorage()
    {
        var t = Tensor.Create(new long[] { 1, 2, 3, 4 }, 4);
        var r = t.Reshape([2, 2]);
        r.AsSpan<long>()[3] = 9;
        Assert.Equal(9, t[3]);
    }

    [Fact]
    public void WrongElementTypeIsTypedError()
    {
        var t = Tensor.Create(new float[] { 1 }, 1);
        var ex = Assert.Throws<DataTypeMismatchException>(() => t.AsSpan<int>());
        Assert.Contains("float32", ex.Message);
        Assert.Contains("int32", ex.Message);
    }

    [Fact]
    public void BufferLengthMustMatchShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Create(new float[5], 2, 3));
        Assert.Contains("[2,3]", ex.Message);
    }

    [Fact]
    public void NegativeDimIsRejected() => Assert.Throws<InvalidShapeException>(() => new Tensor<float>([2, -1]));

    [Theory]
    [InlineData(new[] { int.MaxValue, int.MaxValue, int.MaxValue })]
    [InlineData(new[] { 65536, 65536 })]
    [InlineData(new[] { int.MaxValue })]
    public void ShapesNoBufferCanHoldAreRejectedBeforeAllocating(int[] dims)
    {
        var ex = Assert.Throws<InvalidShapeException>(() => new Tensor<float>(dims));
        Assert.Contains(Shape.Format(dims), ex.Message);
    }

    [Theory]
    [InlineData(DataType.Float32)]
    [InlineData(DataType.Float64)]
    [InlineData(DataType.Float16)]
    [InlineData(DataType.BFloat16)]
    [InlineData(DataType.Int8)]
    [InlineData(DataType.Int16)]
    [InlineData(DataType.Int32)]
    [InlineData(DataType.Int64)]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.UInt16)]
    [InlineData(DataType.UInt32)]
    [InlineData(DataType.UInt64)]
    [InlineData(DataType.Bool)]
    [InlineData(DataType.String)]
    public void AllocatesEveryDataType(DataType type)
    {
        var t = Tensor.Allocate(type, [3, 2]);
        Assert.Equal(type, t.DataType);
        Assert.Equal(6, t.Length);
        Assert.Equal(type.ClrType(), type == DataType.String ? typeof(string) : t.GetType().GetGenericArguments()[0]);
        if (type != DataType.String)
        {
            Assert.Equal(6 * type.SizeOf(), t.AsBytes().Length);
        }
    }

    [Fact]
    public void BFloat16RoundsToNearestEven()
    {
        Assert.Equal(1.0f, (float)(BFloat16)1.0f);
        Assert.Equal(1.0f, (float)(BFloat16)1.001f);
        Assert.True(float.IsNaN((float)(BFloat16)float.NaN));
        Assert.Equal(float.PositiveInfinity, (float)(BFloat16)float.PositiveInfinity);

        // 1 + 2^-8 is exactly halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1.0).
        Assert.Equal(1.0f, (float)(BFloat16)(1f + (1f / 256)));
        Assert.Equal(1f + (2f / 128), (float)(BFloat16)(1f + (3f / 256)));
    }

    [Fact]
    public void SparseTensorExpandsToDense()
    {
        var values = Tensor.Create(new float[] { 5, 7 }, 2);
        var indices = Tensor.Create(new long[] { 1, 5 }, 2);
        var dense = new SparseTensor(values, indices, [2, 3]).ToDense();
        Assert.Equal(new double[] { 0, 5, 0, 0, 0, 7 }, dense.ToDoubleArray());
    }

    [Fact]
    public void SparseIndexOutOfRangeIsRejected()
    {
        var sparse = new SparseTensor(Tensor.Create(new float[] { 1 }, 1), Tensor.Create(new long[] { 6 }, 1), [2, 3]);
        var ex = Assert.Throws<ArgumentException>(() => sparse.ToDense());
        Assert.Contains("6", ex.Message);
    }
}
