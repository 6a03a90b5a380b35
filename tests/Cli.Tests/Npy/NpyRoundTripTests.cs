using System.Text;
using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests.Npy;

public class NpyRoundTripTests
{
    public static TheoryData<DataType> NumericTypes => new()
    {
        DataType.Float16, DataType.Float32, DataType.Float64,
        DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64,
        DataType.UInt8, DataType.UInt16, DataType.UInt32, DataType.UInt64,
        DataType.Bool,
    };

    [Theory]
    [MemberData(nameof(NumericTypes))]
    public void RoundTrips_every_dtype_through_a_file(DataType type)
    {
        var tensor = Sample(type, [2, 3, 4]);
        using var dir = new TempDirectory();
        string path = dir.File("t.npy");
        NpyFile.Write(path, tensor);
        var back = NpyFile.Read(path);

        Assert.Equal(type, back.DataType);
        Assert.Equal(tensor.DimsArray(), back.DimsArray());
        Assert.Equal(tensor.AsBytes().ToArray(), back.AsBytes().ToArray());
        Assert.Equal(HeaderLength(path) + ((long)tensor.Length * type.SizeOf()), new FileInfo(path).Length);
    }

    [Theory]
    [MemberData(nameof(NumericTypes))]
    public void Header_is_padded_to_64_bytes_and_uses_numpy_descr(DataType type)
    {
        var ms = new MemoryStream();
        NpyFile.Write(ms, Sample(type, [5]));
        byte[] bytes = ms.ToArray();
        int headerEnd = 10 + BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, headerEnd % 64);
        Assert.Equal((byte)'\n', bytes[headerEnd - 1]);
        string header = Encoding.Latin1.GetString(bytes, 10, headerEnd - 10);
        string code = type switch
        {
            DataType.Float16 => "<f2", DataType.Float32 => "<f4", DataType.Float64 => "<f8",
            DataType.Int8 => "|i1", DataType.Int16 => "<i2", DataType.Int32 => "<i4", DataType.Int64 => "<i8",
            DataType.UInt8 => "|u1", DataType.UInt16 => "<u2", DataType.UInt32 => "<u4", DataType.UInt64 => "<u8",
            _ => "|b1",
        };
        Assert.StartsWith($"{{'descr': '{code}', 'fortran_order': False, 'shape': (5,), }}", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 0, 3 })]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 1, 1, 1, 1, 1, 2 })]
    public void RoundTrips_scalars_empty_and_high_rank_shapes(int[] dims)
    {
        var tensor = Sample(DataType.Float32, dims);
        var ms = new MemoryStream();
        NpyFile.Write(ms, tensor);
        ms.Position = 0;
        var back = NpyFile.Read(ms, "memory");
        Assert.Equal(dims, back.DimsArray());
        Assert.Equal(tensor.AsBytes().ToArray(), back.AsBytes().ToArray());
    }

    [Fact]
    public void BFloat16_is_written_as_float32_with_the_same_values()
    {
        var values = new[] { 1.5f, -2.25f, 0f, 65536f, float.NegativeInfinity };
        var tensor = new Tensor<BFloat16>(values.Select(v => (BFloat16)v).ToArray(), [5]);
        var ms = new MemoryStream();
        NpyFile.Write(ms, tensor);
        ms.Position = 0;
        var back = NpyFile.Read(ms, "memory");
        Assert.Equal(DataType.Float32, back.DataType);
        Assert.Equal(values, back.AsReadOnlySpan<float>().ToArray());
    }

    [Fact]
    public void Extreme_values_survive()
    {
        var longs = new Tensor<long>(new[] { long.MinValue, long.MaxValue, 0, -1 }, [4]);
        var doubles = new Tensor<double>(new[] { double.NaN, double.Epsilon, double.MaxValue, -0.0 }, [4]);
        foreach (Tensor t in new Tensor[] { longs, doubles })
        {
            var ms = new MemoryStream();
            NpyFile.Write(ms, t);
            ms.Position = 0;
            Assert.Equal(t.AsBytes().ToArray(), NpyFile.Read(ms, "memory").AsBytes().ToArray());
        }
    }

    [Fact]
    public void String_tensors_cannot_be_written()
    {
        var ex = Assert.Throws<NpyFormatException>(() => NpyFile.Write(new MemoryStream(), new StringTensor(["a"], [1])));
        Assert.Contains("string", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("f2", DataType.Float16)]
    [InlineData("f4", DataType.Float32)]
    [InlineData("f8", DataType.Float64)]
    [InlineData("i1", DataType.Int8)]
    [InlineData("i2", DataType.Int16)]
    [InlineData("i4", DataType.Int32)]
    [InlineData("i8", DataType.Int64)]
    [InlineData("u1", DataType.UInt8)]
    [InlineData("u2", DataType.UInt16)]
    [InlineData("u4", DataType.UInt32)]
    [InlineData("u8", DataType.UInt64)]
    public void Reads_arrays_written_by_numpy(string code, DataType type)
    {
        var t = NpyFile.Read(NpyTestFiles.Fixture($"numpy_{code}.npy"));
        Assert.Equal(type, t.DataType);
        Assert.Equal(new[] { 2, 3 }, t.DimsArray());
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, t.ToDoubleArray());
    }

    [Fact]
    public void Reads_numpy_bool_scalar_and_empty_arrays()
    {
        var b = NpyFile.Read(NpyTestFiles.Fixture("numpy_b1.npy"));
        Assert.Equal(new[] { true, false, true, false, false, true }, b.AsReadOnlySpan<bool>().ToArray());

        var scalar = NpyFile.Read(NpyTestFiles.Fixture("numpy_scalar_f8.npy"));
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(2.5, scalar.AsReadOnlySpan<double>()[0]);

        var empty = NpyFile.Read(NpyTestFiles.Fixture("numpy_empty_i4.npy"));
        Assert.Equal(new[] { 0, 3 }, empty.DimsArray());
    }

    [Theory]
    [InlineData("numpy_v2_f4.npy")]
    [InlineData("numpy_v3_f4.npy")]
    public void Reads_format_versions_2_and_3(string file)
    {
        var t = NpyFile.Read(NpyTestFiles.Fixture(file));
        Assert.Equal(new[] { 2, 3 }, t.DimsArray());
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f, 1f, 1.5f }, t.AsReadOnlySpan<float>().ToArray());
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }")]
    [InlineData("{\"shape\": (2,), \"descr\": \"<f4\", \"fortran_order\": False}")]
    [InlineData("{'descr':'<f4','fortran_order':False,'shape':(2L,)}")]
    [InlineData("{'descr': 'f4', 'fortran_order': False, 'shape': [2]}")]
    public void Accepts_header_variants(string header)
    {
        var bytes = NpyTestFiles.Build(header, NpyTestFiles.Floats(1, 2));
        var t = NpyFile.Read(new MemoryStream(bytes), "memory");
        Assert.Equal(new[] { 1f, 2f }, t.AsReadOnlySpan<float>().ToArray());
    }

    [Fact]
    public void Nonzero_bool_bytes_read_as_true()
    {
        var bytes = NpyTestFiles.Build("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", [0, 1, 7]);
        var t = NpyFile.Read(new MemoryStream(bytes), "memory");
        Assert.Equal(new byte[] { 0, 1, 1 }, t.AsBytes().ToArray());
    }

    private static long HeaderLength(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        return 10 + BitConverter.ToUInt16(b, 8);
    }

    /// <summary>Distinct, type-appropriate values (0, 1, -1, extremes) so byte comparisons catch swaps.</summary>
    internal static Tensor Sample(DataType type, int[] dims)
    {
        var t = Tensor.Allocate(type, dims);
        var rng = new Random(7);
        var bytes = t.AsBytes();
        rng.NextBytes(bytes);
        switch (type)
        {
            case DataType.Bool:
                foreach (ref byte b in bytes)
                {
                    b = (byte)(b & 1);
                }

                break;
            case DataType.Float16:
                var h = t.AsSpan<Half>();
                for (int i = 0; i < h.Length; i++)
                {
                    h[i] = (Half)((rng.NextDouble() * 200) - 100);
                }

                break;
            case DataType.Float32:
                var f = t.AsSpan<float>();
                for (int i = 0; i < f.Length; i++)
                {
                    f[i] = (float)((rng.NextDouble() * 200) - 100);
                }

                break;
            case DataType.Float64:
                var d = t.AsSpan<double>();
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = (rng.NextDouble() * 200) - 100;
                }

                break;
        }

        return t;
    }
}
