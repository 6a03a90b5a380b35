using Google.Protobuf;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Onnx.Tests;

/// <summary>External data: read from files beside the model, never from outside its folder.</summary>
public sealed class ExternalDataTests
{
    private static readonly float[] s_weights = [1f, 2f, 3f, 4f, 5f, 6f];

    [Fact]
    public void LoadsTensorsFromFilesBesideTheModel()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("sub"));
        var header = new byte[16];
        File.WriteAllBytes(dir.File("weights.bin"), [.. header, .. Bytes(s_weights)]);
        File.WriteAllBytes(dir.File("sub/bias.bin"), Bytes([0.5f, -0.5f]));
        File.WriteAllBytes(dir.File("flags.bin"), [0, 7, 1]);

        var proto = Model(
            External("w", TensorProto.Types.DataType.Float, [2, 3], ("location", "weights.bin"), ("offset", "16"), ("length", "24")),
            External("b", TensorProto.Types.DataType.Float, [2], ("location", "./sub/bias.bin")),
            External("flags", TensorProto.Types.DataType.Bool, [3], ("location", "flags.bin"), ("checksum", "ignored")));
        File.WriteAllBytes(dir.File("model.onnx"), proto.ToByteArray());

        var model = OnnxModelLoader.Load(dir.File("model.onnx"));
        TensorAssert.Close(s_weights, [2, 3], model.Graph.Initializers["w"], rtol: 0, atol: 0);
        TensorAssert.Close([0.5f, -0.5f], [2], model.Graph.Initializers["b"], rtol: 0, atol: 0);
        Assert.Equal([false, true, true], model.Graph.Initializers["flags"].AsSpan<bool>().ToArray());

        // The saver writes weights inline, so the saved model loads on its own.
        var reloaded = OnnxModelLoader.Load(OnnxModelSaver.ToBytes(model));
        GraphComparer.AssertEqual(model, reloaded);
    }

    [Fact]
    public void LinkInsideTheFolderIsFollowed()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("data"));
        File.WriteAllBytes(dir.File("data/real.bin"), Bytes(s_weights));
        File.CreateSymbolicLink(dir.File("alias.bin"), "data/real.bin");
        Directory.CreateSymbolicLink(dir.File("datalink"), dir.File("data"));
        var proto = Model(
            External("a", TensorProto.Types.DataType.Float, [6], ("location", "alias.bin")),
            External("b", TensorProto.Types.DataType.Float, [6], ("location", "datalink/real.bin")));
        var model = LoadFrom(dir, proto);
        TensorAssert.Close(s_weights, [6], model.Graph.Initializers["a"], rtol: 0, atol: 0);
        TensorAssert.Close(s_weights, [6], model.Graph.Initializers["b"], rtol: 0, atol: 0);
    }

    [Theory]
    [InlineData("../outside.bin", "escapes the model's folder")]
    [InlineData("sub/../../outside.bin", "escapes the model's folder")]
    [InlineData("/etc/passwd", "must be a relative path inside the model's folder")]
    [InlineData("a\0b", "must be a relative path inside the model's folder")]
    [InlineData("missing.bin", "external data file 'missing.bin' not found next to the model")]
    [InlineData("", "external data has no 'location'")]
    public void BadLocationIsRejected(string location, string expected)
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<ModelLoadException>(() => LoadFrom(dir, Model(External("w", TensorProto.Types.DataType.Float, [6], ("location", location)))));
        Assert.Contains("initializer 'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8", null, "external data of 24 bytes at offset 8 lies outside 'w.bin' (24 bytes)")]
    [InlineData("100", null, "at offset 100 lies outside")]
    [InlineData("0", "48", "external data length 48 does not match the 24 bytes its dims need")]
    [InlineData("-1", null, "external_data 'offset' is not a non-negative integer: '-1'")]
    [InlineData("9223372036854775807", null, "at offset 9223372036854775807 lies outside")]
    [InlineData("1e3", null, "is not a non-negative integer")]
    public void RangeOutsideTheFileIsRejected(string offset, string? length, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("w.bin"), Bytes(s_weights));
        var entries = new List<(string, string)> { ("location", "w.bin"), ("offset", offset) };
        if (length is not null)
        {
            entries.Add(("length", length));
        }

        var ex = Assert.Throws<ModelLoadException>(() => LoadFrom(dir, Model(External("w", TensorProto.Types.DataType.Float, [2, 3], [.. entries]))));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeDimsAreRejectedBeforeReadingOrAllocating()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("w.bin"), Bytes(s_weights));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelLoadException>(() => LoadFrom(dir, Model(External("w", TensorProto.Types.DataType.Float, [1L << 28], ("location", "w.bin")))));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20));
        Assert.Contains("external data of 1073741824 bytes at offset 0 lies outside 'w.bin' (24 bytes)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileLinkEscapingTheFolderIsRejected()
    {
        using var outside = new TempDirectory();
        using var dir = new TempDirectory();
        File.WriteAllBytes(outside.File("secret.bin"), Bytes(s_weights));
        File.CreateSymbolicLink(dir.File("w.bin"), outside.File("secret.bin"));
        var ex = Assert.Throws<ModelLoadException>(() => LoadFrom(dir, Model(External("w", TensorProto.Types.DataType.Float, [6], ("location", "w.bin")))));
        Assert.Contains("external data location 'w.bin' links outside the model's folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderLinkEscapingTheFolderIsRejected()
    {
        using var outside = new TempDirectory();
        using var dir = new TempDirectory();
        File.WriteAllBytes(outside.File("secret.bin"), Bytes(s_weights));
        Directory.CreateSymbolicLink(dir.File("sub"), outside.Path);
        var ex = Assert.Throws<ModelLoadException>(() => LoadFrom(dir, Model(External("w", TensorProto.Types.DataType.Float, [6], ("location", "sub/secret.bin")))));
        Assert.Contains("'sub/secret.bin' links outside the model's folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeLinkClimbingOutIsRejected()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("model"));
        File.WriteAllBytes(dir.File("secret.bin"), Bytes(s_weights));
        Directory.CreateDirectory(dir.File("model/a"));
        File.CreateSymbolicLink(dir.File("model/a/w.bin"), "../../secret.bin");
        var proto = Model(External("w", TensorProto.Types.DataType.Float, [6], ("location", "a/w.bin")));
        File.WriteAllBytes(dir.File("model/model.onnx"), proto.ToByteArray());
        var ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(dir.File("model/model.onnx")));
        Assert.Contains("links outside the model's folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinkLoopIsRejected()
    {
        using var dir = new TempDirectory();
        File.CreateSymbolicLink(dir.File("a.bin"), "b.bin");
        File.CreateSymbolicLink(dir.File("b.bin"), "a.bin");
        var ex = Assert.Throws<ModelLoadException>(() => LoadFrom(dir, Model(External("w", TensorProto.Types.DataType.Float, [6], ("location", "a.bin")))));
        Assert.Contains("too many symbolic links", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LocationThatIsAFolderIsRejected()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("w.bin"));
        var ex = Assert.Throws<ModelLoadException>(() => LoadFrom(dir, Model(External("w", TensorProto.Types.DataType.Float, [6], ("location", "w.bin")))));
        Assert.Contains("not found next to the model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeyIsRejected()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<ModelLoadException>(() => LoadFrom(dir, Model(External("w", TensorProto.Types.DataType.Float, [6], ("location", "w.bin"), ("compression", "zstd")))));
        Assert.Contains("unknown external_data key 'compression'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadingFromBytesForbidsExternalData()
    {
        var proto = Model(External("w", TensorProto.Types.DataType.Float, [6], ("location", "w.bin")));
        var ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(proto.ToByteArray()));
        Assert.Contains("external data needs the model's folder", ex.Message, StringComparison.Ordinal);
    }

    private static Model LoadFrom(TempDirectory dir, ModelProto proto)
    {
        File.WriteAllBytes(dir.File("model.onnx"), proto.ToByteArray());
        return OnnxModelLoader.Load(dir.File("model.onnx"));
    }

    private static ModelProto Model(params TensorProto[] initializers)
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Initializer.AddRange(initializers);
        return proto;
    }

    private static TensorProto External(string name, TensorProto.Types.DataType type, long[] dims, params (string Key, string Value)[] entries)
    {
        var t = SampleModels.Tensor(name, type, dims, t => t.DataLocation = TensorProto.Types.DataLocation.External);
        foreach (var (key, value) in entries)
        {
            t.ExternalData.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return t;
    }

    private static byte[] Bytes(float[] values) => SampleModels.Raw(values).ToByteArray();
}
