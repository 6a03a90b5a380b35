using Google.Protobuf;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Onnx.Tests;

/// <summary>What the importer makes of each part of a model, checked against a hand-built ModelProto.</summary>
public sealed class ModelContentTests
{
    [Fact]
    public void ModelWithoutOpsetImportIsOpset1()
    {
        var model = MalformedModelTests.Load(SampleModels.Relu());
        Assert.Equal(1, model.DefaultOpset);
        Assert.Equal(1, model.OpsetImports[string.Empty]);
    }

    [Fact]
    public void AiOnnxDomainNormalizesToEmpty()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Domain = "ai.onnx", Version = 13 }, new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        proto.Graph.Node[0].Domain = "ai.onnx";
        var model = MalformedModelTests.Load(proto);
        Assert.Equal(13, model.DefaultOpset);
        Assert.Equal(13, model.OpsetFor("ai.onnx"));
        Assert.Equal(1, model.OpsetFor("com.microsoft"));
        Assert.False(model.OpsetImports.ContainsKey("ai.onnx"));
        Assert.Equal(string.Empty, model.Graph.Nodes[0].Domain);

        var saved = ModelProto.Parser.ParseFrom(OnnxModelSaver.ToBytes(model));
        Assert.Contains(saved.OpsetImport, o => o.Domain.Length == 0 && o.Version == 13);
    }

    [Theory]
    [InlineData(0, "opset_import for domain 'ai.onnx' has invalid version 0")]
    [InlineData(-5, "opset_import for domain 'ai.onnx' has invalid version -5")]
    public void InvalidOpsetVersionIsRejected(long version, string expected)
    {
        var ex = Assert.Throws<ModelLoadException>(() => MalformedModelTests.Load(SampleModels.Relu(new OperatorSetIdProto { Version = version })));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConflictingOpsetImportsAreRejected()
    {
        var proto = SampleModels.Relu(new OperatorSetIdProto { Version = 13 }, new OperatorSetIdProto { Domain = "ai.onnx", Version = 17 });
        var ex = Assert.Throws<ModelLoadException>(() => MalformedModelTests.Load(proto));
        Assert.Contains("opset_import lists domain 'ai.onnx' twice, with versions 13 and 17", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KitchenSinkImportsEveryPart()
    {
        var model = MalformedModelTests.Load(SampleModels.KitchenSink());
        Assert.Equal("SampleModels", model.ProducerName);
        Assert.Equal(3, model.ModelVersion);
        Assert.Equal("tests", model.MetadataProps["author"]);
        Assert.Equal(17, model.DefaultOpset);

        var init = model.Graph.Initializers;
        Assert.Equal(17, init.Count);
        Assert.Equal([long.MinValue, 0, long.MaxValue], init["i64"].ToInt64Array());
        Assert.Equal([uint.MaxValue, 7u], init["u32"].AsSpan<uint>().ToArray());
        Assert.Equal([ulong.MaxValue], init["u64"].AsSpan<ulong>().ToArray());
        Assert.Equal([(short)-32768, (short)3], init["i16"].AsSpan<short>().ToArray());
        Assert.Equal([(sbyte)-128, (sbyte)127], init["i8"].AsSpan<sbyte>().ToArray());
        Assert.Equal([(Half)1, (Half)(-2)], init["f16"].AsSpan<Half>().ToArray());
        Assert.Equal([1.0, -2.0], init["bf16_raw"].ToDoubleArray());
        Assert.Equal(["héllo", string.Empty], ((StringTensor)init["str"]).Data);
        Assert.True(float.IsNaN(init["f32_typed"].AsSpan<float>()[2]));
        Assert.Equal(0, init["scalar"].Rank);
        Assert.Equal([0, 5], init["empty"].DimsArray());
        Assert.Equal([1.0, 0, 0, 0, 0, 2, 0, 3], model.Graph.SparseInitializers["sparse_w"].ToDense().ToDoubleArray());

        var x = model.Graph.Inputs[0].Shape!;
        Assert.Equal("batch", x[0].Symbol);
        Assert.Equal(3, x[1].Value);
        Assert.False(x[2].IsKnown);
        Assert.IsType<SequenceTypeInfo>(model.Graph.Inputs[1].Type);
        Assert.IsType<OptionalTypeInfo>(model.Graph.Inputs[2].Type);
        Assert.Equal(new MapTypeInfo(DataType.Int64, new TensorTypeInfo(DataType.Float32, null)), model.Graph.Inputs[3].Type);
        Assert.Null(model.Graph.Inputs[5].Type);

        var everything = model.Graph.Nodes[0];
        Assert.Equal(SampleModels.CustomDomain, everything.Domain);
        Assert.Equal(["x", string.Empty, "f32_raw"], everything.Inputs);
        var kinds = everything.Attributes.Select(a => a.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<AttributeKind>().Where(k => k != AttributeKind.Undefined).ToHashSet(), kinds);
        Assert.Equal(long.MinValue, everything.Attributes.GetInt("i"));
        Assert.Equal("ünïcode", everything.Attributes.GetString("s"));
        Assert.Equal(2, ((Graph[])everything.Attributes["gs"].Value).Length);

        var ifNode = model.Graph.Nodes[1];
        var loop = ifNode.Attributes.GetRequiredGraph("then_branch").Nodes[0];
        Assert.Equal("Loop", loop.OpType);
        Assert.Same(ifNode.Attributes.GetRequiredGraph("then_branch"), loop.Attributes.GetRequiredGraph("body").Parent);
    }

    [Fact]
    public void KitchenSinkRoundTrips()
    {
        byte[] bytes = SampleModels.KitchenSink().ToByteArray();
        Assert.Null(RoundTrip.Check(bytes, OnnxModelLoader.Load(bytes), null));
    }

    [Fact]
    public void ModelLocalFunctionRoundTrips()
    {
        var proto = SampleModels.KitchenSink();
        var model = MalformedModelTests.Load(proto);
        var f = Assert.Single(model.Functions);
        Assert.Equal(("ScaledIdentity", SampleModels.CustomDomain), (f.Name, f.Domain));
        Assert.Equal(["X"], f.Inputs);
        Assert.Equal(["Y"], f.Outputs);
        Assert.Equal(["alpha"], f.AttributeNames);
        Assert.Equal(17, f.OpsetImports[string.Empty]);
        Assert.Equal(["Constant", "Mul"], f.Nodes.Select(n => n.OpType));
        var reference = f.Nodes[0].Attributes["value_float"];
        Assert.Equal(("alpha", AttributeKind.Float), (reference.RefAttributeName, reference.Kind));

        // The exporter writes back the same FunctionProto, field for field.
        var saved = ModelProto.Parser.ParseFrom(OnnxModelSaver.ToBytes(model));
        Assert.Equal(proto.Functions[0], Assert.Single(saved.Functions));
        GraphComparer.AssertEqual(model, OnnxModelLoader.Load(saved.ToByteArray()));
    }

    [Fact]
    public void FunctionErrorsNameTheFunction()
    {
        var proto = SampleModels.KitchenSink();
        proto.Functions[0].Node[1].OpType = string.Empty;
        var ex = Assert.Throws<ModelLoadException>(() => MalformedModelTests.Load(proto));
        Assert.Contains("function 'ScaledIdentity': node 1 ('scale') has no op_type", ex.Message, StringComparison.Ordinal);

        proto = SampleModels.KitchenSink();
        proto.Functions.Add(SampleModels.ScaledIdentityFunction());
        ex = Assert.Throws<ModelLoadException>(() => MalformedModelTests.Load(proto));
        Assert.Contains("function 1 'com.example.ScaledIdentity' is defined more than once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsInsideSubgraphsNameTheWholePath()
    {
        var proto = SampleModels.KitchenSink();
        var body = proto.Graph.Node[1].Attribute[0].G.Node[0].Attribute[0].G;
        body.Node[0].Attribute.Add(new AttributeProto { Name = "bad", T = SampleModels.Tensor("c", TensorProto.Types.DataType.Float, [4], t => t.RawData = ByteString.CopyFrom(1, 2, 3)) });
        var ex = Assert.Throws<ModelLoadException>(() => MalformedModelTests.Load(proto));
        Assert.Contains(
            "main graph: node 'if' (If) attribute 'then_branch': node 'loop' (Loop) attribute 'body': node 'acc_add' (Add) attribute 'bad' 'c': raw_data has 3 bytes, float32 dims [4] need 16",
            ex.Message,
            StringComparison.Ordinal);
    }
}
