using Google.Protobuf;
using OpenAutoGlm.Onnx.Protos;
using static OpenAutoGlm.Onnx.Protos.AttributeProto.Types;

namespace OpenAutoGlm.Onnx.Tests;

/// <summary>
/// Hand-built ModelProtos, written field by field (not through the exporter) so the importer is checked against
/// an independent description of the format. <see cref="KitchenSink"/> holds one of everything the IR carries.
/// </summary>
internal static class SampleModels
{
    public const string CustomDomain = "com.example";

    /// <summary>Every dtype (raw_data and typed fields), every attribute kind, sparse tensors, symbolic dims,
    /// sequence/optional/map types, nested If/Loop subgraphs and a model-local function.</summary>
    public static ModelProto KitchenSink()
    {
        var graph = new GraphProto { Name = "kitchen_sink", DocString = "one of everything" };
        graph.Initializer.Add(Tensor("f32_typed", TensorProto.Types.DataType.Float, [2, 2], t => t.FloatData.AddRange([1f, -2.5f, float.NaN, float.PositiveInfinity])));
        graph.Initializer.Add(Tensor("f32_raw", TensorProto.Types.DataType.Float, [3], t => t.RawData = Raw<float>([0.5f, 1.5f, -0f])));
        graph.Initializer.Add(Tensor("f64", TensorProto.Types.DataType.Double, [2], t => t.DoubleData.AddRange([Math.PI, -1e300])));
        graph.Initializer.Add(Tensor("i64", TensorProto.Types.DataType.Int64, [3], t => t.Int64Data.AddRange([long.MinValue, 0, long.MaxValue])));
        graph.Initializer.Add(Tensor("u64", TensorProto.Types.DataType.Uint64, [1], t => t.Uint64Data.Add(ulong.MaxValue)));
        graph.Initializer.Add(Tensor("u32", TensorProto.Types.DataType.Uint32, [2], t => t.Uint64Data.AddRange([uint.MaxValue, 7])));
        graph.Initializer.Add(Tensor("i32", TensorProto.Types.DataType.Int32, [2], t => t.Int32Data.AddRange([int.MinValue, 42])));
        graph.Initializer.Add(Tensor("i16", TensorProto.Types.DataType.Int16, [2], t => t.Int32Data.AddRange([short.MinValue, 3])));
        graph.Initializer.Add(Tensor("i8", TensorProto.Types.DataType.Int8, [2], t => t.Int32Data.AddRange([-128, 127])));
        graph.Initializer.Add(Tensor("u16", TensorProto.Types.DataType.Uint16, [1], t => t.Int32Data.Add(65535)));
        graph.Initializer.Add(Tensor("u8_raw", TensorProto.Types.DataType.Uint8, [4], t => t.RawData = ByteString.CopyFrom(0, 1, 254, 255)));
        graph.Initializer.Add(Tensor("bool", TensorProto.Types.DataType.Bool, [3], t => t.Int32Data.AddRange([1, 0, 1])));
        graph.Initializer.Add(Tensor("f16", TensorProto.Types.DataType.Float16, [2], t => t.Int32Data.AddRange([0x3C00, 0xC000])));
        graph.Initializer.Add(Tensor("bf16_raw", TensorProto.Types.DataType.Bfloat16, [2], t => t.RawData = ByteString.CopyFrom(0x80, 0x3F, 0x00, 0xC0)));
        graph.Initializer.Add(Tensor("str", TensorProto.Types.DataType.String, [2], t => t.StringData.AddRange([ByteString.CopyFromUtf8("héllo"), ByteString.Empty])));
        graph.Initializer.Add(Tensor("scalar", TensorProto.Types.DataType.Float, [], t => t.FloatData.Add(3f)));
        graph.Initializer.Add(Tensor("empty", TensorProto.Types.DataType.Float, [0, 5], _ => { }));
        graph.SparseInitializer.Add(Sparse("sparse_w"));

        graph.Input.Add(TensorValue("x", TensorProto.Types.DataType.Float, Dim("batch"), Dim(3), new TensorShapeProto.Types.Dimension()));
        graph.Input.Add(new ValueInfoProto { Name = "seq_in", Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = TensorType(TensorProto.Types.DataType.Float) } } });
        graph.Input.Add(new ValueInfoProto { Name = "opt_in", Type = new TypeProto { OptionalType = new TypeProto.Types.Optional { ElemType = TensorType(TensorProto.Types.DataType.Int64) } } });
        graph.Input.Add(new ValueInfoProto
        {
            Name = "map_in",
            DocString = "a map value",
            Type = new TypeProto { MapType = new TypeProto.Types.Map { KeyType = (int)TensorProto.Types.DataType.Int64, ValueType = TensorType(TensorProto.Types.DataType.Float) } },
        });
        graph.Input.Add(TensorValue("cond", TensorProto.Types.DataType.Bool));
        graph.Input.Add(new ValueInfoProto { Name = "untyped" });

        var everything = new NodeProto { OpType = "Everything", Domain = CustomDomain, Name = "everything", DocString = "all attribute kinds" };
        everything.Input.AddRange(["x", string.Empty, "f32_raw"]);
        everything.Output.AddRange(["e0", "e1"]);
        everything.Attribute.Add(new AttributeProto { Name = "f", Type = AttributeType.Float, F = -0.25f });
        everything.Attribute.Add(new AttributeProto { Name = "i", Type = AttributeType.Int, I = long.MinValue, DocString = "min" });
        everything.Attribute.Add(new AttributeProto { Name = "s", Type = AttributeType.String, S = ByteString.CopyFromUtf8("ünïcode") });
        everything.Attribute.Add(new AttributeProto { Name = "t", Type = AttributeType.Tensor, T = Tensor(string.Empty, TensorProto.Types.DataType.Int32, [1], t => t.Int32Data.Add(9)) });
        everything.Attribute.Add(new AttributeProto { Name = "g", Type = AttributeType.Graph, G = IdentityGraph("g_body", "g_in", "g_out") });
        everything.Attribute.Add(new AttributeProto { Name = "sp", Type = AttributeType.SparseTensor, SparseTensor = Sparse(string.Empty) });
        everything.Attribute.Add(new AttributeProto { Name = "tp", Type = AttributeType.TypeProto, Tp = TensorType(TensorProto.Types.DataType.Float16) });
        everything.Attribute.Add(Repeated("fs", AttributeType.Floats, a => a.Floats.AddRange([1f, float.NegativeInfinity])));
        everything.Attribute.Add(Repeated("is", AttributeType.Ints, a => a.Ints.AddRange([-1, 0, long.MaxValue])));
        everything.Attribute.Add(Repeated("ss", AttributeType.Strings, a => a.Strings.AddRange([ByteString.CopyFromUtf8("a"), ByteString.Empty])));
        everything.Attribute.Add(Repeated("ts", AttributeType.Tensors, a => a.Tensors.Add(Tensor(string.Empty, TensorProto.Types.DataType.Int64, [2], t => t.Int64Data.AddRange([1, 2])))));
        everything.Attribute.Add(Repeated("gs", AttributeType.Graphs, a => a.Graphs.AddRange([IdentityGraph("gs0", "a", "b"), IdentityGraph("gs1", "c", "d")])));
        everything.Attribute.Add(Repeated("sps", AttributeType.SparseTensors, a => a.SparseTensors.Add(Sparse(string.Empty))));
        everything.Attribute.Add(Repeated("tps", AttributeType.TypeProtos, a => a.TypeProtos.AddRange([TensorType(TensorProto.Types.DataType.Int8), new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = TensorType(TensorProto.Types.DataType.Float) } }])));
        everything.Attribute.Add(Repeated("empty_ints", AttributeType.Ints, _ => { }));
        graph.Node.Add(everything);

        graph.Node.Add(IfWithLoop());

        var call = new NodeProto { OpType = "ScaledIdentity", Domain = CustomDomain, Name = "call" };
        call.Input.Add("x");
        call.Output.Add("y");
        call.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeType.Float, F = 2f });
        graph.Node.Add(call);

        graph.Output.Add(TensorValue("y", TensorProto.Types.DataType.Float, Dim("batch"), Dim(3), Dim("n")));
        graph.Output.Add(TensorValue("if_out", TensorProto.Types.DataType.Float));
        graph.ValueInfo.Add(TensorValue("e0", TensorProto.Types.DataType.Float, Dim(1)));

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "SampleModels",
            ProducerVersion = "1.0",
            Domain = "org.autoglm.test",
            ModelVersion = 3,
            DocString = "kitchen sink",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx", Version = 17 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = CustomDomain, Version = 1 });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "author", Value = "tests" });
        model.Functions.Add(ScaledIdentityFunction());
        return model;
    }

    /// <summary>A local function <c>com.example.ScaledIdentity(X) -> Y = X * alpha</c> whose Constant reads the caller's 'alpha'.</summary>
    public static FunctionProto ScaledIdentityFunction()
    {
        var f = new FunctionProto { Name = "ScaledIdentity", Domain = CustomDomain, DocString = "Y = X * alpha" };
        f.Input.Add("X");
        f.Output.Add("Y");
        f.Attribute.Add("alpha");
        var constant = new NodeProto { OpType = "Constant", Name = "alpha_const" };
        constant.Output.Add("alpha_t");
        constant.Attribute.Add(new AttributeProto { Name = "value_float", Type = AttributeType.Float, RefAttrName = "alpha" });
        var mul = new NodeProto { OpType = "Mul", Name = "scale" };
        mul.Input.AddRange(["X", "alpha_t"]);
        mul.Output.Add("Y");
        f.Node.AddRange([constant, mul]);
        f.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        return f;
    }

    /// <summary>y = relu(x) as a minimal model of the given opset imports.</summary>
    public static ModelProto Relu(params OperatorSetIdProto[] opsets)
    {
        var graph = new GraphProto { Name = "relu" };
        graph.Input.Add(TensorValue("x", TensorProto.Types.DataType.Float, Dim(2)));
        graph.Output.Add(TensorValue("y", TensorProto.Types.DataType.Float, Dim(2)));
        var node = new NodeProto { OpType = "Relu", Name = "relu" };
        node.Input.Add("x");
        node.Output.Add("y");
        graph.Node.Add(node);
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.AddRange(opsets);
        return model;
    }

    public static TensorProto Tensor(string name, TensorProto.Types.DataType type, long[] dims, Action<TensorProto> fill)
    {
        var t = new TensorProto { DataType = (int)type };
        if (name.Length > 0)
        {
            t.Name = name;
        }

        t.Dims.AddRange(dims);
        fill(t);
        return t;
    }

    public static ByteString Raw<T>(T[] values)
        where T : unmanaged => ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    public static TypeProto TensorType(TensorProto.Types.DataType type, params TensorShapeProto.Types.Dimension[]? dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (dims is { Length: > 0 })
        {
            tensor.Shape = new TensorShapeProto();
            tensor.Shape.Dim.AddRange(dims);
        }

        return new TypeProto { TensorType = tensor };
    }

    public static ValueInfoProto TensorValue(string name, TensorProto.Types.DataType type, params TensorShapeProto.Types.Dimension[] dims) =>
        new() { Name = name, Type = TensorType(type, dims) };

    public static TensorShapeProto.Types.Dimension Dim(long value) => new() { DimValue = value };

    public static TensorShapeProto.Types.Dimension Dim(string symbol) => new() { DimParam = symbol };

    private static SparseTensorProto Sparse(string name)
    {
        var s = new SparseTensorProto
        {
            Values = Tensor(name, TensorProto.Types.DataType.Float, [3], t => t.FloatData.AddRange([1f, 2f, 3f])),
            Indices = Tensor(string.Empty, TensorProto.Types.DataType.Int64, [3], t => t.Int64Data.AddRange([0, 5, 7])),
        };
        s.Dims.AddRange([2, 4]);
        return s;
    }

    private static AttributeProto Repeated(string name, AttributeType type, Action<AttributeProto> fill)
    {
        var a = new AttributeProto { Name = name, Type = type };
        fill(a);
        return a;
    }

    private static GraphProto IdentityGraph(string name, string input, string output)
    {
        var g = new GraphProto { Name = name };
        g.Input.Add(TensorValue(input, TensorProto.Types.DataType.Float));
        g.Output.Add(TensorValue(output, TensorProto.Types.DataType.Float));
        var n = new NodeProto { OpType = "Identity" };
        n.Input.Add(input);
        n.Output.Add(output);
        g.Node.Add(n);
        return g;
    }

    /// <summary>If(cond) then: a Loop summing the outer 'x' (outer-scope reference two levels down); else: Identity.</summary>
    private static NodeProto IfWithLoop()
    {
        var body = new GraphProto { Name = "loop_body" };
        body.Input.Add(TensorValue("iter", TensorProto.Types.DataType.Int64));
        body.Input.Add(TensorValue("cond_in", TensorProto.Types.DataType.Bool));
        body.Input.Add(TensorValue("acc_in", TensorProto.Types.DataType.Float));
        body.Output.Add(TensorValue("cond_out", TensorProto.Types.DataType.Bool));
        body.Output.Add(TensorValue("acc_out", TensorProto.Types.DataType.Float));
        var add = new NodeProto { OpType = "Add", Name = "acc_add" };
        add.Input.AddRange(["acc_in", "x"]);
        add.Output.Add("acc_out");
        var keep = new NodeProto { OpType = "Identity", Name = "keep_going" };
        keep.Input.Add("cond_in");
        keep.Output.Add("cond_out");
        body.Node.AddRange([add, keep]);

        var loop = new NodeProto { OpType = "Loop", Name = "loop" };
        loop.Input.AddRange(["i64", string.Empty, "x"]);
        loop.Output.Add("then_out");
        loop.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeType.Graph, G = body });
        var thenBranch = new GraphProto { Name = "then" };
        thenBranch.Node.Add(loop);
        thenBranch.Output.Add(TensorValue("then_out", TensorProto.Types.DataType.Float));

        var ifNode = new NodeProto { OpType = "If", Name = "if" };
        ifNode.Input.Add("cond");
        ifNode.Output.Add("if_out");
        ifNode.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeType.Graph, G = thenBranch });
        ifNode.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeType.Graph, G = IdentityGraph("else", "x", "else_out") });
        return ifNode;
    }
}
