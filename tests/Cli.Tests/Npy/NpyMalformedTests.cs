using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Cli.Tests.Npy;

/// <summary>Every malformed file raises <see cref="NpyFormatException"/> (an AutoGlmException) naming the file and the problem.</summary>
public class NpyMalformedTests
{
    private const string F4x2 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";

    [Fact]
    public void Bad_magic()
    {
        AssertRejected(System.Text.Encoding.ASCII.GetBytes("PK\x03\x04 not numpy at all"), "missing the \\x93NUMPY magic");
    }

    [Fact]
    public void Empty_file()
    {
        AssertRejected([], "missing the \\x93NUMPY magic");
    }

    [Fact]
    public void Truncated_in_version_bytes()
    {
        AssertRejected([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1], "ends inside the version bytes");
    }

    [Fact]
    public void Unsupported_version()
    {
        var bytes = NpyTestFiles.Build(F4x2, NpyTestFiles.Floats(1, 2));
        bytes[6] = 4;
        AssertRejected(bytes, "unsupported .npy format version 4.0");
    }

    [Fact]
    public void Truncated_header_length()
    {
        AssertRejected([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0x10], "ends inside the header length");
    }

    [Fact]
    public void Truncated_header()
    {
        var bytes = NpyTestFiles.Build(F4x2, NpyTestFiles.Floats(1, 2));
        AssertRejected(bytes.AsSpan(0, 30).ToArray(), "truncated: the header should be");
    }

    [Fact]
    public void Truncated_data()
    {
        var bytes = NpyTestFiles.Build(F4x2, NpyTestFiles.Floats(1));
        AssertRejected(bytes, "truncated data: shape (2,) of <f4 needs 8 bytes, the file has 4");
    }

    [Fact]
    public void Truncated_data_on_a_non_seekable_stream()
    {
        var bytes = NpyTestFiles.Build(F4x2, NpyTestFiles.Floats(1));
        var ex = Assert.Throws<NpyFormatException>(() => NpyFile.Read(new NonSeekableStream(bytes), "pipe.npy"));
        Assert.Contains("pipe.npy: truncated data", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_longer_than_the_shape()
    {
        var bytes = NpyTestFiles.Build(F4x2, NpyTestFiles.Floats(1, 2, 3));
        AssertRejected(bytes, "data does not match the shape: shape (2,) of <f4 needs 8 bytes, the file has 12");
    }

    [Fact]
    public void Data_longer_than_the_shape_on_a_non_seekable_stream()
    {
        var bytes = NpyTestFiles.Build(F4x2, NpyTestFiles.Floats(1, 2, 3));
        var ex = Assert.Throws<NpyFormatException>(() => NpyFile.Read(new NonSeekableStream(bytes), "pipe.npy"));
        Assert.Contains("data does not match the shape", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fortran_order()
    {
        AssertFixtureRejected("numpy_fortran_f4.npy", "fortran_order=True is not supported");
    }

    [Fact]
    public void Big_endian()
    {
        AssertFixtureRejected("numpy_bigendian_f4.npy", "big-endian dtype '>f4' is not supported");
    }

    [Theory]
    [InlineData("numpy_complex.npy", "unsupported dtype descr '<c8'")]
    [InlineData("numpy_unicode.npy", "unsupported dtype descr '<U2'")]
    [InlineData("numpy_object.npy", "unsupported dtype descr '|O'")]
    [InlineData("numpy_structured.npy", "structured (record) dtypes are not supported")]
    public void Unsupported_descr(string fixture, string expected)
    {
        AssertFixtureRejected(fixture, expected);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False}", "no 'shape' tuple")]
    [InlineData("{'fortran_order': False, 'shape': (2,)}", "no 'descr' key")]
    [InlineData("{'descr': '<f4', 'shape': (2,)}", "no boolean 'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", "malformed header")]
    [InlineData("{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", "malformed header")]
    [InlineData("['descr', '<f4']", "malformed header: expected '{'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing", "unexpected text after the dictionary")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': ('a',)}", "no 'shape' tuple of integers")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "negative dimension")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,)}", "too large")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000)}", "more than 2147483647 elements")]
    [InlineData("{'descr': 5, 'fortran_order': False, 'shape': (2,)}", "'descr' is not a string")]
    public void Malformed_header(string header, string expected)
    {
        AssertRejected(NpyTestFiles.Build(header, NpyTestFiles.Floats(1, 2)), expected);
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var ex = Assert.Throws<NpyFormatException>(() => NpyFile.Read("/nonexistent/x.npy"));
        Assert.Contains("/nonexistent/x.npy: file not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_an_AutoGlmException()
    {
        Assert.True(typeof(AutoGlmException).IsAssignableFrom(typeof(NpyFormatException)));
    }

    /// <summary>Writes the bytes to a real file so the message must name it.</summary>
    private static void AssertRejected(byte[] bytes, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.npy");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<NpyFormatException>(() => NpyFile.Read(path));
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static void AssertFixtureRejected(string fixture, string expected)
    {
        string path = NpyTestFiles.Fixture(fixture);
        var ex = Assert.Throws<NpyFormatException>(() => NpyFile.Read(path));
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private sealed class NonSeekableStream : MemoryStream
    {
        public NonSeekableStream(byte[] bytes)
            : base(bytes)
        {
        }

        public override bool CanSeek => false;
    }
}
