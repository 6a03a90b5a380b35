using Google.Protobuf;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Onnx.Protos.AttributeProto.Types;

namespace OpenAutoGlm.Onnx.Tests;

/// <summary>Specific malformed inputs: each is rejected with a <see cref="ModelLoadException"/> naming what and where.</summary>
public sealed class MalformedModelTests
{
    [Fact]
    public void EmptyFileIsRejected()
    {
        var ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(ReadOnlySpan<byte>.Empty));
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);

        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("model.onnx"), []);
        ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(dir.File("model.onnx")));
        Assert.Contains("model.onnx: the file is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsRejected()
    {
        var ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load("/nonexistent/model.onnx"));
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedFileNamesByteOffsetAndField()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Initializer.Add(SampleModels.Tensor("w", TensorProto.Types.DataType.Float, [64], t => t.RawData = SampleModels.Raw(new float[64])));
        byte[] bytes = proto.ToByteArray();
        var ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(bytes.AsSpan(0, bytes.Length - 100)));
        Assert.Matches(@"byte \d+: ModelProto\.graph(\.initializer\[0\](\.raw_data)?)? claims \d+ bytes but only \d+ remain", ex.Message);
    }

    [Fact]
    public void EveryTruncationIsRejectedWithAnOffset()
    {
        byte[] bytes = SampleModels.KitchenSink().ToByteArray();
        for (int length = 1; length < bytes.Length; length++)
        {
            try
            {
                OnnxModelLoader.Load(bytes.AsSpan(0, length));
            }
            catch (ModelLoadException ex) when (ex.Message.Contains("not a valid ModelProto", StringComparison.Ordinal))
            {
                Assert.Matches(@"ModelProto \(\d+ bytes\): byte \d+: ", ex.Message);
            }
            catch (ModelLoadException)
            {
                // A cut at a field boundary parses; the importer then finds something missing.
            }
        }
    }

    [Fact]
    public void RandomGarbageIsRejected()
    {
        var rng = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[1 + rng.Next(512)];
            rng.NextBytes(bytes);
            Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(bytes));
        }
    }

    [Fact]
    public void MissingGraphIsRejected()
    {
        var ex = Assert.Throws<ModelLoadException>(() => Load(new ModelProto { IrVersion = 8, ProducerName = "x" }));
        Assert.Contains("no graph", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeDimsWithTinyRawDataFailFastWithoutAllocating()
    {
        // 2^20 x 2^20 = 2^40 elements backed by 4 bytes.
        var proto = WithInitializer(SampleModels.Tensor("huge", TensorProto.Types.DataType.Float, [1L << 20, 1L << 20], t => t.RawData = ByteString.CopyFrom(0, 0, 0, 0)));
        byte[] bytes = proto.ToByteArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(bytes));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("initializer 'huge'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("more than 2147483647 elements", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < (1 << 20), $"rejecting the tensor allocated {allocated} bytes");

        // 2^28 elements fit an int but not the 4 bytes given: rejected before the 1 GiB buffer exists.
        proto = WithInitializer(SampleModels.Tensor("big", TensorProto.Types.DataType.Float, [1L << 28], t => t.RawData = ByteString.CopyFrom(0, 0, 0, 0)));
        bytes = proto.ToByteArray();
        before = GC.GetAllocatedBytesForCurrentThread();
        ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(bytes));
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("raw_data has 4 bytes, float32 dims [268435456] need 1073741824", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < (1 << 20), $"rejecting the tensor allocated {allocated} bytes");
    }

    [Fact]
    public void TensorLargerThanAnArrayIsRejected()
    {
        // 2^30 floats are fewer than int.MaxValue elements but 4 GiB: more than one .NET array holds.
        var proto = WithInitializer(SampleModels.Tensor("big", TensorProto.Types.DataType.Float, [1L << 30], t => t.RawData = ByteString.CopyFrom(0, 0, 0, 0)));
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("initializer 'big': float32 dims [1073741824] need 4294967296 bytes, more than one tensor can hold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeDimsWithTypedFieldsFailFast()
    {
        var proto = WithInitializer(SampleModels.Tensor("t", TensorProto.Types.DataType.Int64, [1L << 26], t => t.Int64Data.Add(1)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20));
        Assert.Contains("initializer 't': holds 1 int64 values, dims [67108864] need 67108864", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawDataSizeMismatchNamesTensorAndSizes()
    {
        var proto = WithInitializer(SampleModels.Tensor("w", TensorProto.Types.DataType.Float, [2, 3], t => t.RawData = ByteString.CopyFrom(new byte[20])));
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("main graph initializer 'w': raw_data has 20 bytes, float32 dims [2,3] need 24", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(0)]
    [InlineData(14)]
    [InlineData(-1)]
    public void UnknownOrUnsupportedTensorDataTypeIsRejected(int dataType)
    {
        var t = SampleModels.Tensor("w", TensorProto.Types.DataType.Float, [1], t => t.RawData = ByteString.CopyFrom(new byte[4]));
        t.DataType = dataType;
        var ex = Assert.Throws<ModelLoadException>(() => Load(WithInitializer(t)));
        Assert.Contains($"initializer 'w': unsupported data_type {dataType}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownElementTypeInValueInfoIsRejected()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Input[0].Type.TensorType.ElemType = 99;
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("main graph input 'x': unknown element type 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeDimInValueInfoShapeIsRejected()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Output[0].Type.TensorType.Shape.Dim.Add(SampleModels.Dim(-3));
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("main graph output 'y': dimension 1 is negative (-3)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeTensorDimIsRejected()
    {
        var proto = WithInitializer(SampleModels.Tensor("w", TensorProto.Types.DataType.Float, [2, -1], _ => { }));
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("initializer 'w': invalid dimension -1 at index 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeWithoutOpTypeIsRejected()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Node[0].OpType = string.Empty;
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("main graph: node 0 ('relu') has no op_type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AttributeWithNoTypeAndNoValueIsRejected()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "alpha" });
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("main graph: node 'relu' (Relu) attribute 'alpha': attribute type is missing and no value is set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AttributeWithoutTypeTakesTheKindOfItsValue()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "alpha", F = 0.5f });
        proto.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "axes", Ints = { 1, 2 } });
        var node = Load(proto).Graph.Nodes[0];
        Assert.Equal(0.5f, node.Attributes.GetFloat("alpha"));
        Assert.Equal([1L, 2L], node.Attributes.GetInts("axes")!);
    }

    [Theory]
    [InlineData(99, "unknown attribute type 99")]
    [InlineData((int)AttributeType.Graph, "GRAPH attribute has no value")]
    [InlineData((int)AttributeType.Tensor, "TENSOR attribute has no value")]
    [InlineData((int)AttributeType.SparseTensor, "SPARSETENSOR attribute has no value")]
    [InlineData((int)AttributeType.TypeProto, "TYPEPROTO attribute has no value")]
    public void AttributeWithoutItsValueIsRejected(int type, string expected)
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "a", Type = (AttributeType)type });
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains($"node 'relu' (Relu) attribute 'a': {expected}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateAttributeIsRejected()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "a", Type = AttributeType.Int, I = 1 });
        proto.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "a", Type = AttributeType.Int, I = 2 });
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("node 'relu' (Relu): attribute 'a' is given more than once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateInitializerIsRejected()
    {
        var proto = WithInitializer(SampleModels.Tensor("w", TensorProto.Types.DataType.Float, [1], t => t.FloatData.Add(1)));
        proto.Graph.Initializer.Add(SampleModels.Tensor("w", TensorProto.Types.DataType.Float, [1], t => t.FloatData.Add(2)));
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("initializer 'w' is defined more than once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefAttributeOutsideFunctionIsRejected()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "a", Type = AttributeType.Float, RefAttrName = "alpha" });
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("attribute 'a': ref_attr_name 'alpha' is only allowed inside a function body", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new long[] { 2, 4 }, new long[] { 0, 8 }, "sparse index 8 (entry 1) is outside dims [2,4]")]
    [InlineData(new long[] { 2, 4 }, new long[] { 0, -1 }, "sparse index -1 (entry 1) is outside dims [2,4]")]
    [InlineData(new long[] { 2, -4 }, new long[] { 0, 1 }, "contain a negative size")]
    public void SparseInitializerOutOfRangeIsRejected(long[] dims, long[] indices, string expected)
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        var sparse = new SparseTensorProto
        {
            Values = SampleModels.Tensor("s", TensorProto.Types.DataType.Float, [2], t => t.FloatData.AddRange([1, 2])),
            Indices = SampleModels.Tensor(string.Empty, TensorProto.Types.DataType.Int64, [2], t => t.Int64Data.AddRange(indices)),
        };
        sparse.Dims.AddRange(dims);
        proto.Graph.SparseInitializer.Add(sparse);
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("sparse initializer 's'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceNameLeadsTheMessage()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Node[0].OpType = string.Empty;
        var ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(proto.ToByteArray(), source: "models/relu.onnx"));
        Assert.StartsWith("models/relu.onnx: main graph: node 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8InANameIsReplacedNotFatal()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        byte[] bytes = proto.ToByteArray();
        int at = bytes.AsSpan().IndexOf("relu"u8);
        bytes[at] = 0xFF;
        // Like protobuf itself (and proto2 in C++), invalid UTF-8 is decoded with U+FFFD rather than refused.
        Assert.Equal("\uFFFDelu", OnnxModelLoader.Load(bytes).Graph.Nodes[0].Name);
    }

    [Fact]
    public void DeeplyNestedSubgraphsAreRejectedNotOverflowed()
    {
        // Each level is GraphProto > NodeProto > AttributeProto > GraphProto: 3 message levels per If.
        var ok = Assert.Single(Load(NestedIfs(20)).Graph.Nodes);
        Assert.Equal("If", ok.OpType);
        var ex = Assert.Throws<ModelLoadException>(() => Load(NestedIfs(200)));
        Assert.Contains("nested more than 100 levels deep", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedTypesAreRejected()
    {
        var type = SampleModels.TensorType(TensorProto.Types.DataType.Float);
        for (int i = 0; i < 150; i++)
        {
            type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = type } };
        }

        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Input[0].Type = type;
        var ex = Assert.Throws<ModelLoadException>(() => Load(proto));
        Assert.Contains("ModelProto.graph.input[0].type.sequence_type.elem_type", ex.Message, StringComparison.Ordinal);
    }

    internal static Model Load(ModelProto proto) => OnnxModelLoader.Load(proto.ToByteArray());

    private static ModelProto NestedIfs(int depth)
    {
        var graph = Leaf();
        for (int i = 0; i < depth; i++)
        {
            var node = new NodeProto { OpType = "If", Name = $"if{i}" };
            node.Input.Add("cond");
            node.Output.Add("x");
            node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeType.Graph, G = graph });
            node.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeType.Graph, G = Leaf() });
            graph = new GraphProto { Name = $"level{i}" };
            graph.Node.Add(node);
            graph.Output.Add(SampleModels.TensorValue("x", TensorProto.Types.DataType.Float));
        }

        graph.Input.Add(SampleModels.TensorValue("cond", TensorProto.Types.DataType.Bool));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        return model;

        static GraphProto Leaf()
        {
            var leaf = new GraphProto { Name = "leaf" };
            leaf.Output.Add(SampleModels.TensorValue("x", TensorProto.Types.DataType.Float));
            return leaf;
        }
    }

    private static ModelProto WithInitializer(TensorProto t)
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 17 });
        proto.Graph.Initializer.Add(t);
        return proto;
    }
}
