using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx;

/// <summary>ModelProto → <see cref="Model"/>, recursing into subgraphs and functions.</summary>
internal sealed class Importer
{
    private readonly string? _baseDirectory;

    /// <summary>Above zero while importing a function body, where attributes may refer to the caller's (ref_attr_name).</summary>
    private int _functionDepth;

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

            if (model.OpsetImports.TryGetValue(domain, out long other) && other != op.Version)
            {
                throw new ModelLoadException($"opset_import lists domain '{(domain.Length == 0 ? "ai.onnx" : domain)}' twice, with versions {other} and {op.Version}");
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

        var functionKeys = new HashSet<(string, string)>();
        for (int i = 0; i < proto.Functions.Count; i++)
        {
            var f = ImportFunction(proto.Functions[i], i);
            if (!functionKeys.Add((f.Domain, f.Name)))
            {
                throw new ModelLoadException($"function {i} '{f.Domain}.{f.Name}' is defined more than once");
            }

            model.Functions.Add(f);
        }

        model.Graph.LinkSubgraphs();
        return model;
    }

    private Graph ImportGraph(GraphProto g, string where)
    {
        var graph = new Graph(g.Name) { DocString = g.DocString };
        for (int i = 0; i < g.Initializer.Count; i++)
        {
            var t = g.Initializer[i];
            if (string.IsNullOrEmpty(t.Name))
            {
                throw new ModelLoadException($"{where}: initializer {i} has no name");
            }

            if (graph.Initializers.ContainsKey(t.Name))
            {
                throw new ModelLoadException($"{where}: initializer '{t.Name}' is defined more than once");
            }

            graph.Initializers[t.Name] = TensorProtoConverter.ToTensor(t, _baseDirectory, $"{where} initializer");
        }

        for (int i = 0; i < g.SparseInitializer.Count; i++)
        {
            var s = g.SparseInitializer[i];
            string name = s.Values?.Name ?? string.Empty;
            if (name.Length == 0)
            {
                throw new ModelLoadException($"{where}: sparse initializer {i} has no name (its values tensor names it)");
            }

            if (graph.Initializers.ContainsKey(name) || graph.SparseInitializers.ContainsKey(name))
            {
                throw new ModelLoadException($"{where}: initializer '{name}' is defined more than once");
            }

            graph.SparseInitializers[name] = ImportSparse(s, $"{where} sparse initializer '{name}'");
        }

        foreach (var v in g.Input)
        {
            graph.Inputs.Add(ImportValueInfo(v, $"{where} input"));
        }

        foreach (var v in g.Output)
        {
            graph.Outputs.Add(ImportValueInfo(v, $"{where} output"));
        }

        foreach (var v in g.ValueInfo)
        {
            var vi = ImportValueInfo(v, $"{where} value_info");
            graph.ValueInfos[vi.Name] = vi;
        }

        for (int i = 0; i < g.Node.Count; i++)
        {
            graph.Nodes.Add(ImportNode(g.Node[i], where, i));
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
        string ctx = $"{where}: {node.Describe()}";
        foreach (var a in n.Attribute)
        {
            var attribute = ImportAttribute(a, ctx);
            if (node.Attributes.Contains(attribute.Name))
            {
                throw new ModelLoadException($"{ctx}: attribute '{attribute.Name}' is given more than once");
            }

            node.Attributes.Set(attribute);
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
        if (!Enum.IsDefined(kind))
        {
            throw new ModelLoadException($"{ctx}: unknown attribute type {(int)a.Type}");
        }

        if (a.HasRefAttrName && a.RefAttrName.Length > 0)
        {
            // A reference to the calling node's attribute: only meaningful in a function body, and the
            // value fields are ignored (the caller supplies the value), so a placeholder stands in.
            if (_functionDepth == 0)
            {
                throw new ModelLoadException($"{ctx}: ref_attr_name '{a.RefAttrName}' is only allowed inside a function body");
            }

            if (kind == AttributeKind.Undefined)
            {
                throw new ModelLoadException($"{ctx}: ref_attr_name '{a.RefAttrName}' needs the attribute type");
            }

            return new NodeAttribute(a.Name, kind, Placeholder(kind), a.RefAttrName) { DocString = a.DocString };
        }

        if (kind == AttributeKind.Undefined)
        {
            kind = GuessKind(a) ?? throw new ModelLoadException($"{ctx}: attribute type is missing and no value is set");
        }

        object value = kind switch
        {
            AttributeKind.Float => a.F,
            AttributeKind.Int => a.I,
            AttributeKind.String => a.S.ToStringUtf8(),
            AttributeKind.Tensor => TensorProtoConverter.ToTensor(a.T ?? throw Missing(ctx, kind), _baseDirectory, ctx),
            AttributeKind.Graph => ImportGraph(a.G ?? throw Missing(ctx, kind), ctx),
            AttributeKind.SparseTensor => ImportSparse(a.SparseTensor ?? throw Missing(ctx, kind), ctx),
            AttributeKind.TypeProto => ImportType(a.Tp, ctx) ?? throw Missing(ctx, kind),
            AttributeKind.Floats => a.Floats.ToArray(),
            AttributeKind.Ints => a.Ints.ToArray(),
            AttributeKind.Strings => a.Strings.Select(s => s.ToStringUtf8()).ToArray(),
            AttributeKind.Tensors => a.Tensors.Select((t, i) => TensorProtoConverter.ToTensor(t, _baseDirectory, $"{ctx}[{i}]")).ToArray(),
            AttributeKind.Graphs => a.Graphs.Select((g, i) => ImportGraph(g, $"{ctx}[{i}]")).ToArray(),
            AttributeKind.SparseTensors => a.SparseTensors.Select((s, i) => ImportSparse(s, $"{ctx}[{i}]")).ToArray(),
            AttributeKind.TypeProtos => a.TypeProtos.Select((t, i) => ImportType(t, $"{ctx}[{i}]") ?? throw new ModelLoadException($"{ctx}[{i}]: TYPE_PROTOS item has no type")).ToArray(),
            _ => throw new ModelLoadException($"{ctx}: unknown attribute type {(int)a.Type}"),
        };
        return new NodeAttribute(a.Name, kind, value) { DocString = a.DocString };
    }

    private static ModelLoadException Missing(string ctx, AttributeKind kind) =>
        new($"{ctx}: {kind.ToString().ToUpperInvariant()} attribute has no value");

    private static object Placeholder(AttributeKind kind) => kind switch
    {
        AttributeKind.Float => 0f,
        AttributeKind.Int => 0L,
        AttributeKind.String => string.Empty,
        AttributeKind.Tensor => Tensor.Scalar(0f),
        AttributeKind.Graph => new Graph(),
        AttributeKind.SparseTensor => new SparseTensor(Tensor.Create(Array.Empty<float>(), 0), Tensor.Create(Array.Empty<long>(), 0), [0]),
        AttributeKind.TypeProto => new TensorTypeInfo(DataType.Undefined, null),
        AttributeKind.Floats => Array.Empty<float>(),
        AttributeKind.Ints => Array.Empty<long>(),
        AttributeKind.Strings => Array.Empty<string>(),
        AttributeKind.Tensors => Array.Empty<Tensor>(),
        AttributeKind.Graphs => Array.Empty<Graph>(),
        AttributeKind.SparseTensors => Array.Empty<SparseTensor>(),
        _ => Array.Empty<TypeInfo>(),
    };

    /// <summary>Pre-IR-version-3 files have no attribute type: the kind is whichever value field is set.</summary>
    private static AttributeKind? GuessKind(AttributeProto a)
    {
        if (a.HasF) return AttributeKind.Float;
        if (a.HasI) return AttributeKind.Int;
        if (a.HasS) return AttributeKind.String;
        if (a.T is not null) return AttributeKind.Tensor;
        if (a.G is not null) return AttributeKind.Graph;
        if (a.SparseTensor is not null) return AttributeKind.SparseTensor;
        if (a.Tp is not null) return AttributeKind.TypeProto;
        if (a.Floats.Count > 0) return AttributeKind.Floats;
        if (a.Ints.Count > 0) return AttributeKind.Ints;
        if (a.Strings.Count > 0) return AttributeKind.Strings;
        if (a.Tensors.Count > 0) return AttributeKind.Tensors;
        if (a.Graphs.Count > 0) return AttributeKind.Graphs;
        if (a.SparseTensors.Count > 0) return AttributeKind.SparseTensors;
        if (a.TypeProtos.Count > 0) return AttributeKind.TypeProtos;
        return null;
    }

    /// <summary>
    /// COO sparse tensor: values [NNZ]; indices int64 [NNZ] (linear) or [NNZ, rank]; every index inside dims.
    /// Checked here so that densifying it later cannot index out of range.
    /// </summary>
    private SparseTensor ImportSparse(SparseTensorProto s, string ctx)
    {
        if (s.Values is null || s.Indices is null)
        {
            throw new ModelLoadException($"{ctx}: sparse tensor needs values and indices");
        }

        var values = TensorProtoConverter.ToTensor(s.Values, _baseDirectory, $"{ctx} values");
        var indices = TensorProtoConverter.ToTensor(s.Indices, _baseDirectory, $"{ctx} indices");
        long denseCount = 1;
        foreach (long d in s.Dims)
        {
            if (d < 0)
            {
                throw new ModelLoadException($"{ctx}: sparse tensor dims [{string.Join(",", s.Dims)}] contain a negative size");
            }

            denseCount = d == 0 || denseCount > long.MaxValue / d ? (d == 0 ? 0 : long.MaxValue) : denseCount * d;
        }

        int nnz = values.Length;
        if (values.Rank != 1)
        {
            throw new ModelLoadException($"{ctx}: sparse values must be 1-D, got shape {values.ShapeString}");
        }

        bool linear = indices.Rank == 1 && indices.Dims[0] == nnz;
        bool coordinates = indices.Rank == 2 && indices.Dims[0] == nnz && indices.Dims[1] == s.Dims.Count;
        if (indices.DataType != DataType.Int64 || !(linear || coordinates))
        {
            throw new ModelLoadException($"{ctx}: sparse indices must be int64 [{nnz}] or [{nnz},{s.Dims.Count}], got {indices.DataType.Name()}{indices.ShapeString}");
        }

        var idx = indices.AsReadOnlySpan<long>();
        for (int i = 0; i < idx.Length; i++)
        {
            long bound = linear ? denseCount : s.Dims[i % s.Dims.Count];
            if (idx[i] < 0 || idx[i] >= bound)
            {
                throw new ModelLoadException($"{ctx}: sparse index {idx[i]} (entry {i}) is outside dims [{string.Join(",", s.Dims)}]");
            }
        }

        return new SparseTensor(values, indices, s.Dims.ToArray());
    }

    private static ValueInfo ImportValueInfo(ValueInfoProto v, string where)
    {
        if (string.IsNullOrEmpty(v.Name))
        {
            throw new ModelLoadException($"{where}: a value has no name");
        }

        return new ValueInfo(v.Name, ImportType(v.Type, $"{where} '{v.Name}'")) { DocString = v.DocString };
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
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => throw new ModelLoadException($"{ctx}: dimension {i} is negative ({d.DimValue})"),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => Dim.Symbolic(d.DimParam),
                _ => Dim.Unknown,
            };
        }

        return new Shape(dims);
    }

    private FunctionDefinition ImportFunction(FunctionProto f, int index)
    {
        if (string.IsNullOrEmpty(f.Name))
        {
            throw new ModelLoadException($"function {index} has no name");
        }

        string where = $"function '{f.Name}'";
        var def = new FunctionDefinition(f.Name, f.Domain) { DocString = f.DocString };
        def.Inputs.AddRange(f.Input);
        def.Outputs.AddRange(f.Output);
        def.AttributeNames.AddRange(f.Attribute);
        foreach (var op in f.OpsetImport)
        {
            if (op.Version < 1)
            {
                throw new ModelLoadException($"{where}: opset_import for domain '{op.Domain}' has invalid version {op.Version}");
            }

            def.OpsetImports[Node.NormalizeDomain(op.Domain)] = op.Version;
        }

        _functionDepth++;
        try
        {
            for (int i = 0; i < f.Node.Count; i++)
            {
                def.Nodes.Add(ImportNode(f.Node[i], where, i));
            }
        }
        finally
        {
            _functionDepth--;
        }

        return def;
    }
}
