using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx;

/// <summary>ModelProto → <see cref="Model"/>, recursing into subgraphs and functions.</summary>
internal sealed class Importer
{
    private readonly string? _baseDirectory;

    public Importer(string? baseDirectory)
    {
        _baseDirectory = baseDirectory;
    }

    public Model ImportModel(ModelProto proto)
    {
        if (proto.Graph is null)
        {
            throw new ModelLoadException("ModelProto has no graph");
        }

        var model = new Model(ImportGraph(proto.Graph, "main graph"))
        {
            IrVersion = proto.IrVersion,
            ProducerName = proto.ProducerName,
            ProducerVersion = proto.ProducerVersion,
            Domain = proto.Domain,
            ModelVersion = proto.ModelVersion,
            DocString = proto.DocString,
        };
        foreach (var op in proto.OpsetImport)
        {
            string domain = Node.NormalizeDomain(op.Domain);
            if (op.Version < 1)
            {
                throw new ModelLoadException($"opset_import for domain '{(domain.Length == 0 ? "ai.onnx" : domain)}' has invalid version {op.Version}");
            }

            model.OpsetImports[domain] = op.Version;
        }

        if (proto.OpsetImport.Count == 0)
        {
            // IR version 1-2 models predate opset_import; they are opset 1.
            model.OpsetImports[string.Empty] = 1;
        }

        foreach (var kv in proto.MetadataProps)
        {
            model.MetadataProps[kv.Key] = kv.Value;
        }

        foreach (var f in proto.Functions)
        {
            model.Functions.Add(ImportFunction(f));
        }

        model.Graph.LinkSubgraphs();
        return model;
    }

    private Graph ImportGraph(GraphProto g, string where)
    {
        var graph = new Graph(g.Name) { DocString = g.DocString };
        foreach (var t in g.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name))
            {
                throw new ModelLoadException($"{where}: an initializer has no name");
            }

            graph.Initializers[t.Name] = TensorProtoConverter.ToTensor(t, _baseDirectory, $"{where} initializer");
        }

        foreach (var s in g.SparseInitializer)
        {
            var sparse = ImportSparse(s, $"{where} sparse initializer");
            string name = s.Values?.Name ?? string.Empty;
            if (name.Length == 0)
            {
                throw new ModelLoadException($"{where}: a sparse initializer has no name");
            }

            graph.SparseInitializers[name] = sparse;
        }

        foreach (var v in g.Input)
        {
            graph.Inputs.Add(ImportValueInfo(v, where));
        }

        foreach (var v in g.Output)
        {
            graph.Outputs.Add(ImportValueInfo(v, where));
        }

        foreach (var v in g.ValueInfo)
        {
            var vi = ImportValueInfo(v, where);
            graph.ValueInfos[vi.Name] = vi;
        }

        int index = 0;
        foreach (var n in g.Node)
        {
            graph.Nodes.Add(ImportNode(n, where, index++));
        }

        return graph;
    }

    private Node ImportNode(NodeProto n, string where, int index)
    {
        if (string.IsNullOrEmpty(n.OpType))
        {
            throw new ModelLoadException($"{where}: node {index} ('{n.Name}') has no op_type");
        }

        string name = n.Name.Length > 0 ? n.Name : $"{n.OpType}_{index}";
        var node = new Node(n.OpType, n.Input, n.Output, name, n.Domain) { DocString = n.DocString };
        foreach (var a in n.Attribute)
        {
            node.Attributes.Set(ImportAttribute(a, $"{where}: node '{name}' ({n.OpType})"));
        }

        return node;
    }

    private NodeAttribute ImportAttribute(AttributeProto a, string where)
    {
        if (string.IsNullOrEmpty(a.Name))
        {
            throw new ModelLoadException($"{where}: an attribute has no name");
        }

        string ctx = $"{where} attribute '{a.Name}'";
        var kind = (AttributeKind)(int)a.Type;
        if (kind == AttributeKind.Undefined)
        {
            kind = GuessKind(a) ?? throw new ModelLoadException($"{ctx}: attribute type is missing and no value is set");
        }

        string? refName = a.HasRefAttrName && a.RefAttrName.Length > 0 ? a.RefAttrName : null;
        object value = kind switch
        {
            AttributeKind.Float => a.F,
            AttributeKind.Int => a.I,
            AttributeKind.String => a.S.ToStringUtf8(),
            AttributeKind.Tensor => refName is not null && a.T is null ? Tensor.Scalar(0f) : TensorProtoConverter.ToTensor(a.T ?? throw new ModelLoadException($"{ctx}: TENSOR attribute has no tensor"), _baseDirectory, ctx),
            AttributeKind.Graph => refName is not null && a.G is null ? new Graph() : ImportGraph(a.G ?? throw new ModelLoadException($"{ctx}: GRAPH attribute has no graph"), ctx),
            AttributeKind.SparseTensor => ImportSparse(a.SparseTensor ?? throw new ModelLoadException($"{ctx}: SPARSE_TENSOR attribute has no value"), ctx),
            AttributeKind.TypeProto => ImportType(a.Tp, ctx) ?? throw new ModelLoadException($"{ctx}: TYPE_PROTO attribute has no type"),
            AttributeKind.Floats => a.Floats.ToArray(),
            AttributeKind.Ints => a.Ints.ToArray(),
            AttributeKind.Strings => a.Strings.Select(s => s.ToStringUtf8()).ToArray(),
            AttributeKind.Tensors => a.Tensors.Select(t => TensorProtoConverter.ToTensor(t, _baseDirectory, ctx)).ToArray(),
            AttributeKind.Graphs => a.Graphs.Select(g => ImportGraph(g, ctx)).ToArray(),
            AttributeKind.SparseTensors => a.SparseTensors.Select(s => ImportSparse(s, ctx)).ToArray(),
            AttributeKind.TypeProtos => a.TypeProtos.Select(t => ImportType(t, ctx)!).ToArray(),
            _ => throw new ModelLoadException($"{ctx}: unknown attribute type {(int)a.Type}"),
        };
        return new NodeAttribute(a.Name, kind, value, refName) { DocString = a.DocString };
    }

    private static AttributeKind? GuessKind(AttributeProto a)
    {
        if (a.HasF) return AttributeKind.Float;
        if (a.HasI) return AttributeKind.Int;
        if (a.HasS) return AttributeKind.String;
        if (a.T is not null) return AttributeKind.Tensor;
        if (a.G is not null) return AttributeKind.Graph;
        if (a.Floats.Count > 0) return AttributeKind.Floats;
        if (a.Ints.Count > 0) return AttributeKind.Ints;
        if (a.Strings.Count > 0) return AttributeKind.Strings;
        if (a.Tensors.Count > 0) return AttributeKind.Tensors;
        if (a.Graphs.Count > 0) return AttributeKind.Graphs;
        return null;
    }

    private SparseTensor ImportSparse(SparseTensorProto s, string ctx)
    {
        if (s.Values is null || s.Indices is null)
        {
            throw new ModelLoadException($"{ctx}: sparse tensor needs values and indices");
        }

        var values = TensorProtoConverter.ToTensor(s.Values, _baseDirectory, ctx);
        var indices = TensorProtoConverter.ToTensor(s.Indices, _baseDirectory, ctx);
        if (s.Dims.Any(d => d < 0))
        {
            throw new ModelLoadException($"{ctx}: sparse tensor dims [{string.Join(",", s.Dims)}] contain a negative size");
        }

        return new SparseTensor(values, indices, s.Dims.ToArray());
    }

    private static ValueInfo ImportValueInfo(ValueInfoProto v, string where)
    {
        if (string.IsNullOrEmpty(v.Name))
        {
            throw new ModelLoadException($"{where}: a graph input/output/value_info has no name");
        }

        return new ValueInfo(v.Name, ImportType(v.Type, $"{where} value '{v.Name}'")) { DocString = v.DocString };
    }

    internal static TypeInfo? ImportType(TypeProto? t, string ctx)
    {
        if (t is null)
        {
            return null;
        }

        switch (t.ValueCase)
        {
            case TypeProto.ValueOneofCase.TensorType:
                return new TensorTypeInfo(CheckedType(t.TensorType.ElemType, ctx), t.TensorType.Shape is null ? null : ImportShape(t.TensorType.Shape, ctx));
            case TypeProto.ValueOneofCase.SparseTensorType:
                return new TensorTypeInfo(CheckedType(t.SparseTensorType.ElemType, ctx), t.SparseTensorType.Shape is null ? null : ImportShape(t.SparseTensorType.Shape, ctx));
            case TypeProto.ValueOneofCase.SequenceType:
                return new SequenceTypeInfo(ImportType(t.SequenceType.ElemType, ctx) ?? new TensorTypeInfo(DataType.Undefined, null));
            case TypeProto.ValueOneofCase.OptionalType:
                return new OptionalTypeInfo(ImportType(t.OptionalType.ElemType, ctx) ?? new TensorTypeInfo(DataType.Undefined, null));
            case TypeProto.ValueOneofCase.MapType:
                return new MapTypeInfo(CheckedType(t.MapType.KeyType, ctx), ImportType(t.MapType.ValueType, ctx) ?? new TensorTypeInfo(DataType.Undefined, null));
            case TypeProto.ValueOneofCase.None:
                return null;
            default:
                throw new ModelLoadException($"{ctx}: unsupported type {t.ValueCase}");
        }
    }

    private static DataType CheckedType(int elemType, string ctx)
    {
        var dt = (DataType)elemType;
        if (!Enum.IsDefined(dt))
        {
            throw new ModelLoadException($"{ctx}: unknown element type {elemType}");
        }

        return dt;
    }

    private static Shape ImportShape(TensorShapeProto s, string ctx)
    {
        var dims = new Dim[s.Dim.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            var d = s.Dim[i];
            dims[i] = d.ValueCase switch
            {
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue when d.DimValue >= 0 => Dim.Known(d.DimValue),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => throw new ModelLoadException($"{ctx}: negative dimension {d.DimValue}"),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => Dim.Symbolic(d.DimParam),
                _ => Dim.Unknown,
            };
        }

        return new Shape(dims);
    }

    private FunctionDefinition ImportFunction(FunctionProto f)
    {
        var def = new FunctionDefinition(f.Name, f.Domain) { DocString = f.DocString };
        def.Inputs.AddRange(f.Input);
        def.Outputs.AddRange(f.Output);
        def.AttributeNames.AddRange(f.Attribute);
        int i = 0;
        foreach (var n in f.Node)
        {
            def.Nodes.Add(ImportNode(n, $"function '{f.Name}'", i++));
        }

        foreach (var op in f.OpsetImport)
        {
            def.OpsetImports[Node.NormalizeDomain(op.Domain)] = op.Version;
        }

        return def;
    }
}
