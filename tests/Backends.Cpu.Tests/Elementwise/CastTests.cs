using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.Elementwise;

[OpTest("Cast")]
[OpTest("CastLike")]
public sealed class CastTests
{
    private static readonly DataType[] s_numeric =
    [
        DataType.Float32, DataType.Float64, DataType.Float16, DataType.BFloat16, DataType.Int8, DataType.Int16, DataType.Int32,
        DataType.Int64, DataType.UInt8, DataType.UInt16, DataType.UInt32, DataType.UInt64, DataType.Bool,
    ];

    public static TheoryData<DataType, DataType> Pairs()
    {
        var data = new TheoryData<DataType, DataType>();
        foreach (var from in s_numeric)
        {
            foreach (var to in s_numeric)
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    // Values every type represents exactly (bool: 0 and 1 only, read back as 0/1).
    [Theory]
    [MemberData(nameof(Pairs))]
    public void EveryPairOfNumericTypesAndBool(DataType from, DataType to)
    {
        double[] values = from == DataType.Bool ? [0, 1, 1, 0] : [0, 1, 2, 100];
        var x = Make(from, values);
        var y = new OpTester("Cast").Attr("to", (long)to).Input(x).RunSingle();
        Assert.Equal(to, y.DataType);
        double[] expected = to == DataType.Bool ? values.Select(v => v != 0 ? 1.0 : 0.0).ToArray() : values;
        Assert.Equal(expected, y.ToDoubleArray());

        var like = new OpTester("CastLike").Input(x).Input(Tensor.Allocate(to, [0])).RunSingle();
        Assert.Equal(expected, like.ToDoubleArray());
    }

    [Fact]
    public void FloatToIntegerTruncatesTowardZero()
    {
        var x = Tensor.Create(new[] { -2.7f, -0.5f, 0.5f, 2.7f, 1e10f }, 5);
        Assert.Equal(new long[] { -2, 0, 0, 2, 10000000000 }, Cast(x, DataType.Int64).ToInt64Array());
        Assert.Equal(new long[] { -2, 0, 0, 2, int.MaxValue }, Cast(x, DataType.Int32).ToInt64Array());
    }

    [Fact]
    public void IntegerNarrowingWraps()
    {
        var x = Tensor.Create(new long[] { 300, -1, (1L << 40) + 5 }, 3);
        Assert.Equal(new long[] { 44, 255, 5 }, Cast(x, DataType.UInt8).ToInt64Array());
        Assert.Equal(new long[] { 300, -1, 5 }, Cast(x, DataType.Int32).ToInt64Array());
    }

    [Fact]
    public void NarrowFloatsRoundToNearestEven()
    {
        var x = Tensor.Create(new[] { 0.81910545f, 1f + (1f / 256), 70000f, float.NaN, -0f }, 5);
        var bf = ((Tensor<BFloat16>)Cast(x, DataType.BFloat16)).ToArray();
        Assert.Equal(0.8203125f, (float)bf[0]);
        Assert.Equal(1f, (float)bf[1]); // halfway between 1 and 1 + 2^-7: ties to the even mantissa
        Assert.True(float.IsNaN((float)bf[3]));
        var h = ((Tensor<Half>)Cast(x, DataType.Float16)).ToArray();
        Assert.Equal((Half)0.81910545f, h[0]);
        Assert.True(Half.IsPositiveInfinity(h[2]));
        Assert.True(Half.IsNaN(h[3]));
    }

    [Fact]
    public void NumbersToStrings()
    {
        var f = Tensor.Create(new[] { 0.1f, -2.5f, 1e-5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3f, 0.039187793f }, 8);
        Assert.Equal(["0.1", "-2.5", "1e-05", "NaN", "INF", "-INF", "3", "0.039187793"], ((StringTensor)Cast(f, DataType.String)).Data);
        var d = Tensor.Create(new[] { 0.1, 1e300 }, 2);
        Assert.Equal(["0.1", "1e+300"], ((StringTensor)Cast(d, DataType.String)).Data);
        var i = Tensor.Create(new[] { -7L, long.MaxValue }, 2);
        Assert.Equal(["-7", "9223372036854775807"], ((StringTensor)Cast(i, DataType.String)).Data);
        var u = Tensor.Create(new[] { ulong.MaxValue }, 1);
        Assert.Equal(["18446744073709551615"], ((StringTensor)Cast(u, DataType.String)).Data);
        var b = Tensor.Create(new[] { true, false }, 2);
        Assert.Equal(["1", "0"], ((StringTensor)Cast(b, DataType.String)).Data);
    }

    [Fact]
    public void StringsToNumbers()
    {
        var s = new StringTensor(["3.14", "1e-5", "1E8", "+INF", "inf", "-INF", "NaN", "nan", " 2 ", "-0.5"], [10]);
        var f = Cast(s, DataType.Float32).ToDoubleArray();
        Assert.Equal(new[] { 3.14f, 1e-5f, 1e8f }, f[..3].Select(v => (float)v));
        Assert.True(double.IsPositiveInfinity(f[3]) && double.IsPositiveInfinity(f[4]) && double.IsNegativeInfinity(f[5]));
        Assert.True(double.IsNaN(f[6]) && double.IsNaN(f[7]));
        Assert.Equal(new[] { 2.0, -0.5 }, f[8..]);
        Assert.Equal(3.14, Cast(s, DataType.Float64).ToDoubleArray()[0]);

        var ints = new StringTensor(["100", "-7", "100.5", "9223372036854775807"], [4]);
        Assert.Equal(new long[] { 100, -7, 100, long.MaxValue }, Cast(ints, DataType.Int64).ToInt64Array());
        Assert.Equal(new long[] { 100, 249, 100, 255 }, Cast(ints, DataType.UInt8).ToInt64Array());
        Assert.Equal(ulong.MaxValue, ((Tensor<ulong>)Cast(new StringTensor(["18446744073709551615"], [1]), DataType.UInt64))[0]);

        var bools = new StringTensor(["true", "False", "0", "1", "2.5"], [5]);
        Assert.Equal(new[] { true, false, false, true, true }, ((Tensor<bool>)Cast(bools, DataType.Bool)).ToArray());

        var half = Cast(new StringTensor(["0.5", "-INF"], [2]), DataType.Float16).ToDoubleArray();
        Assert.Equal(new[] { 0.5, double.NegativeInfinity }, half);
    }

    [Fact]
    public void StringToStringCopies()
    {
        var s = new StringTensor(["a", "b"], [2]);
        Assert.Equal(["a", "b"], ((StringTensor)Cast(s, DataType.String)).Data);
    }

    [Theory]
    [InlineData(6L)]
    [InlineData(9L)]
    [InlineData(13L)]
    public void EveryOpsetTakesANumericTo(long opset)
    {
        var y = new OpTester("Cast", opset).Attr("to", (long)DataType.Int32).Input(Tensor.Create(new[] { 1.9, -1.9 }, 2)).RunSingle();
        Assert.Equal(new long[] { 1, -1 }, y.ToInt64Array());
    }

    [Fact]
    public void Opset1NamesTheTypeAsAString()
    {
        var y = new OpTester("Cast", 1).Attr("to", "FLOAT16").Input(Tensor.Create(new[] { 1.5f }, 1)).RunSingle();
        Assert.Equal(DataType.Float16, y.DataType);
        Assert.Equal(new[] { 1.5 }, y.ToDoubleArray());
    }

    [Fact]
    public void UnparsableStringIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => Cast(new StringTensor(["1", "hello"], [2]), DataType.Float32));
        Assert.Contains("Cast", ex.Message);
        Assert.Contains("'hello'", ex.Message);
    }

    [Fact]
    public void UnknownTargetTypeIsANamedError()
    {
        var ex = Assert.ThrowsAny<AutoGlmException>(() => new OpTester("Cast").Attr("to", 99L).Input(Tensor.Create(new[] { 1f }, 1)).RunSingle());
        Assert.Contains("99", ex.Message);
    }

    private static Tensor Cast(Tensor x, DataType to) => new OpTester("Cast").Attr("to", (long)to).Input(x).RunSingle();

    private static Tensor Make(DataType type, double[] values)
    {
        var t = Tensor.Allocate(type, [values.Length]);
        switch (type)
        {
            case DataType.Bool: Fill(t.AsSpan<bool>(), values, v => v != 0); break;
            case DataType.Float32: Fill(t.AsSpan<float>(), values, v => (float)v); break;
            case DataType.Float64: Fill(t.AsSpan<double>(), values, v => v); break;
            case DataType.Float16: Fill(t.AsSpan<Half>(), values, v => (Half)v); break;
            case DataType.BFloat16: Fill(t.AsSpan<BFloat16>(), values, v => (BFloat16)v); break;
            case DataType.Int8: Fill(t.AsSpan<sbyte>(), values, v => (sbyte)v); break;
            case DataType.Int16: Fill(t.AsSpan<short>(), values, v => (short)v); break;
            case DataType.Int32: Fill(t.AsSpan<int>(), values, v => (int)v); break;
            case DataType.Int64: Fill(t.AsSpan<long>(), values, v => (long)v); break;
            case DataType.UInt8: Fill(t.AsSpan<byte>(), values, v => (byte)v); break;
            case DataType.UInt16: Fill(t.AsSpan<ushort>(), values, v => (ushort)v); break;
            case DataType.UInt32: Fill(t.AsSpan<uint>(), values, v => (uint)v); break;
            case DataType.UInt64: Fill(t.AsSpan<ulong>(), values, v => (ulong)v); break;
        }

        return t;
    }

    private static void Fill<T>(Span<T> span, double[] values, Func<double, T> convert)
    {
        for (int i = 0; i < values.Length; i++)
        {
            span[i] = convert(values[i]);
        }
    }
}
