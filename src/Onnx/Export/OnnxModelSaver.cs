using Google.Protobuf;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx;

/// <summary>Writes the Core IR as a standard ONNX ModelProto (weights inline as raw_data, or in an external data file).</summary>
public static class OnnxModelSaver
{
    /// <summary>Largest ModelProto protobuf can serialize.</summary>
    private const long MaxInlineBytes = int.MaxValue;

    /// <summary>Saves atomically (temporary files renamed into place), weights inline unless <paramref name="options"/> say otherwise.</summary>
    public static void Save(Model model, string path, OnnxSaveOptions? options = null)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (options?.ExternalDataFile is not { } dataFile)
        {
            WriteAtomically(path, ToBytes(model));
            return;
        }

        if (dataFile.Length == 0 || dataFile.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar, '\0']) >= 0 || dataFile is "." or "..")
        {
            throw new ArgumentException($"external data file '{dataFile}' must be a plain file name in the model's folder", nameof(options));
        }

        if (options.ExternalDataAlignment < 1)
        {
            throw new ArgumentException($"external data alignment must be positive, got {options.ExternalDataAlignment}", nameof(options));
        }

        string dataPath = Path.Combine(folder, dataFile);
        if (string.Equals(dataPath, Path.GetFullPath(path), StringComparison.Ordinal))
        {
            throw new ArgumentException($"external data file '{dataFile}' would overwrite the model itself", nameof(options));
        }

        string dataTmp = dataPath + ".tmp";
        ModelProto proto;
        using (var data = new FileStream(dataTmp, FileMode.Create, FileAccess.Write))
        {
            var writer = new ExternalWriter(data, dataFile, options);
            proto = ToProto(model, writer);
        }

        byte[] bytes = proto.ToByteArray();
        File.Move(dataTmp, dataPath, overwrite: true);
        WriteAtomically(path, bytes);
    }

    /// <summary>The model as ONNX bytes with every weight inline.</summary>
    public static byte[] ToBytes(Model model) => ToProto(model).ToByteArray();

    /// <summary>The model as a ModelProto with every weight inline.</summary>
    public static ModelProto ToProto(Model model)
    {
        long inline = InlineBytes(model.Graph);
        if (inline > MaxInlineBytes)
        {
            throw new AutoGlmException($"the model's weights take {inline} bytes, more than the 2 GiB a protobuf file holds: save with OnnxSaveOptions.ExternalDataFile");
        }

        return ToProto(model, external: null);
    }

    private static ModelProto ToProto(Model model, ExternalWriter? external)
    {
        var p = new ModelProto { IrVersion = model.IrVersion, ModelVersion = model.ModelVersion, Graph = ExportGraph(model.Graph, external) };
        SetIfAny(model.ProducerName, v => p.ProducerName = v);
        SetIfAny(model.ProducerVersion, v => p.ProducerVersion = v);
        SetIfAny(model.Domain, v => p.Domain = v);
        SetIfAny(model.DocString, v => p.DocString = v);
        foreach (var (domain, version) in model.OpsetImports)
        {
            p.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }

        foreach (var (k, v) in model.MetadataProps)
        {
            p.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        }

        foreach (var f in model.Functions)
        {
            var fp = new FunctionProto { Name = f.Name, Domain = f.Domain };
            SetIfAny(f.DocString, v => fp.DocString = v);
            fp.Input.AddRange(f.Inputs);
            fp.Output.AddRange(f.Outputs);
            fp.Attribute.AddRange(f.AttributeNames);
            fp.Node.AddRange(f.Nodes.Select(n => ExportNode(n, external)));
            foreach (var (domain, version) in f.OpsetImports)
            {
                fp.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
            }

            p.Functions.Add(fp);
        }

        return p;
    }

    private static GraphProto ExportGraph(Graph g, ExternalWriter? external)
    {
        var p = new GraphProto { Name = g.Name };
        SetIfAny(g.DocString, v => p.DocString = v);
        foreach (var (name, t) in g.Initializers)
        {
            p.Initializer.Add(external?.TryWrite(t, name) ?? TensorProtoConverter.FromTensor(t, name));
        }

        foreach (var (name, s) in g.SparseInitializers)
        {
            p.SparseInitializer.Add(ExportSparse(s, name));
        }

        p.Input.AddRange(g.Inputs.Select(ExportValueInfo));
        p.Output.AddRange(g.Outputs.Select(ExportValueInfo));
        p.ValueInfo.AddRange(g.ValueInfos.Values.Select(ExportValueInfo));
        p.Node.AddRange(g.Nodes.Select(n => ExportNode(n, external)));
        return p;
    }

    private static NodeProto ExportNode(Node n, ExternalWriter? external)
    {
        var p = new NodeProto { OpType = n.OpType };
        SetIfAny(n.Name, v => p.Name = v);
        SetIfAny(n.Domain, v => p.Domain = v);
        SetIfAny(n.DocString, v => p.DocString = v);
        p.Input.AddRange(n.Inputs);
        p.Output.AddRange(n.Outputs);
        foreach (var a in n.Attributes)
        {
            p.Attribute.Add(ExportAttribute(a, external));
        }

        return p;
    }

    private static AttributeProto ExportAttribute(NodeAttribute a, ExternalWriter? external)
    {
        var p = new AttributeProto { Name = a.Name, Type = (AttributeProto.Types.AttributeType)(int)a.Kind };
        SetIfAny(a.DocString, v => p.DocString = v);
        if (a.RefAttributeName is not null)
        {
            p.RefAttrName = a.RefAttributeName;
            return p;
        }

        switch (a.Value)
        {
            case float f: p.F = f; break;
            case long i: p.I = i; break;
            case string s: p.S = ByteString.CopyFromUtf8(s); break;
            case Tensor t: p.T = TensorProtoConverter.FromTensor(t); break;
            case Graph g: p.G = ExportGraph(g, external); break;
            case SparseTensor st: p.SparseTensor = ExportSparse(st, string.Empty); break;
            case TypeInfo ti: p.Tp = ExportType(ti); break;
            case float[] fs: p.Floats.AddRange(fs); break;
            case long[] ls: p.Ints.AddRange(ls); break;
            case string[] ss: p.Strings.AddRange(ss.Select(ByteString.CopyFromUtf8)); break;
            case Tensor[] ts: p.Tensors.AddRange(ts.Select(t => TensorProtoConverter.FromTensor(t))); break;
            case Graph[] gs: p.Graphs.AddRange(gs.Select(g => ExportGraph(g, external))); break;
            case SparseTensor[] sts: p.SparseTensors.AddRange(sts.Select(s => ExportSparse(s, string.Empty))); break;
            case TypeInfo[] tis: p.TypeProtos.AddRange(tis.Select(ExportType)); break;
            default: throw new ArgumentException($"attribute '{a.Name}' holds an unsupported value {a.Value.GetType().Name}");
        }

        return p;
    }

    private static SparseTensorProto ExportSparse(SparseTensor s, string name)
    {
        var p = new SparseTensorProto
        {
            Values = TensorProtoConverter.FromTensor(s.Values, name),
            Indices = TensorProtoConverter.FromTensor(s.Indices),
        };
        p.Dims.AddRange(s.Dims);
        return p;
    }

    private static ValueInfoProto ExportValueInfo(ValueInfo v)
    {
        var p = new ValueInfoProto { Name = v.Name };
        SetIfAny(v.DocString, d => p.DocString = d);
        if (v.Type is not null)
        {
            p.Type = ExportType(v.Type);
        }

        return p;
    }

    internal static TypeProto ExportType(TypeInfo t)
    {
        switch (t)
        {
            case TensorTypeInfo tt:
                var tensor = new TypeProto.Types.Tensor { ElemType = (int)tt.ElementType };
                if (tt.Shape is not null)
                {
                    tensor.Shape = new TensorShapeProto();
                    foreach (var d in tt.Shape)
                    {
                        var dim = new TensorShapeProto.Types.Dimension();
                        if (d.Value is long v)
                        {
                            dim.DimValue = v;
                        }
                        else if (d.Symbol is not null)
                        {
                            dim.DimParam = d.Symbol;
                        }

                        tensor.Shape.Dim.Add(dim);
                    }
                }

                return new TypeProto { TensorType = tensor };
            case SequenceTypeInfo s:
                return new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = ExportType(s.ElementType) } };
            case OptionalTypeInfo o:
                return new TypeProto { OptionalType = new TypeProto.Types.Optional { ElemType = ExportType(o.ElementType) } };
            case MapTypeInfo m:
                return new TypeProto { MapType = new TypeProto.Types.Map { KeyType = (int)m.KeyType, ValueType = ExportType(m.ValueType) } };
            default:
                throw new ArgumentException($"unsupported type {t}");
        }
    }

    /// <summary>Optional proto2 strings are left unset when empty, so files carry no empty fields.</summary>
    private static void SetIfAny(string value, Action<string> set)
    {
        if (value.Length > 0)
        {
            set(value);
        }
    }

    /// <summary>Bytes the initializers of <paramref name="g"/> and its subgraphs take inline.</summary>
    private static long InlineBytes(Graph g) =>
        g.Initializers.Values.Sum(t => t is StringTensor ? 0L : (long)t.Length * t.DataType.SizeOf())
            + g.Nodes.Sum(n => n.Subgraphs().Sum(InlineBytes));

    private static void WriteAtomically(string path, byte[] bytes)
    {
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Appends large initializers to the external data file, aligned, and describes where each went.</summary>
    private sealed class ExternalWriter
    {
        private readonly FileStream _stream;
        private readonly string _location;
        private readonly OnnxSaveOptions _options;

        public ExternalWriter(FileStream stream, string location, OnnxSaveOptions options)
        {
            _stream = stream;
            _location = location;
            _options = options;
        }

        /// <summary>The external TensorProto for <paramref name="t"/>, or null when it stays inline.</summary>
        public TensorProto? TryWrite(Tensor t, string name)
        {
            long size = t is StringTensor ? 0 : (long)t.Length * t.DataType.SizeOf();
            if (size == 0 || size < _options.ExternalDataThreshold)
            {
                return null;
            }

            long offset = (_stream.Position + _options.ExternalDataAlignment - 1) / _options.ExternalDataAlignment * _options.ExternalDataAlignment;
            _stream.Write(new byte[offset - _stream.Position]);
            _stream.Write(t.AsBytes());
            var p = new TensorProto { Name = name, DataType = (int)t.DataType, DataLocation = TensorProto.Types.DataLocation.External };
            foreach (int d in t.Dims)
            {
                p.Dims.Add(d);
            }

            p.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = _location });
            p.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            p.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            return p;
        }
    }
}
