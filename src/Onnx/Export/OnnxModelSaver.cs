using Google.Protobuf;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;

namespace OpenAutoGlm.Onnx;

/// <summary>Writes the Core IR as a standard ONNX ModelProto (weights inline as raw_data).</summary>
public static class OnnxModelSaver
{
    public static void Save(Model model, string path)
    {
        var bytes = ToBytes(model);
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    public static byte[] ToBytes(Model model) => ToProto(model).ToByteArray();

    public static ModelProto ToProto(Model model)
    {
        var p = new ModelProto
        {
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Domain = model.Domain,
            ModelVersion = model.ModelVersion,
            DocString = model.DocString,
            Graph = ExportGraph(model.Graph),
        };
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
            var fp = new FunctionProto { Name = f.Name, Domain = f.Domain, DocString = f.DocString };
            fp.Input.AddRange(f.Inputs);
            fp.Output.AddRange(f.Outputs);
            fp.Attribute.AddRange(f.AttributeNames);
            fp.Node.AddRange(f.Nodes.Select(ExportNode));
            foreach (var (domain, version) in f.OpsetImports)
            {
                fp.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
            }

            p.Functions.Add(fp);
        }

        return p;
    }

    private static GraphProto ExportGraph(Graph g)
    {
        var p = new GraphProto { Name = g.Name, DocString = g.DocString };
        foreach (var (name, t) in g.Initializers)
        {
            p.Initializer.Add(TensorProtoConverter.FromTensor(t, name));
        }

        foreach (var (name, s) in g.SparseInitializers)
        {
            p.SparseInitializer.Add(ExportSparse(s, name));
        }

        p.Input.AddRange(g.Inputs.Select(ExportValueInfo));
        p.Output.AddRange(g.Outputs.Select(ExportValueInfo));
        p.ValueInfo.AddRange(g.ValueInfos.Values.Select(ExportValueInfo));
        p.Node.AddRange(g.Nodes.Select(ExportNode));
        return p;
    }

    private static NodeProto ExportNode(Node n)
    {
        var p = new NodeProto { OpType = n.OpType, Name = n.Name, Domain = n.Domain, DocString = n.DocString };
        p.Input.AddRange(n.Inputs);
        p.Output.AddRange(n.Outputs);
        foreach (var a in n.Attributes)
        {
            p.Attribute.Add(ExportAttribute(a));
        }

        return p;
    }

    private static AttributeProto ExportAttribute(NodeAttribute a)
    {
        var p = new AttributeProto { Name = a.Name, Type = (AttributeProto.Types.AttributeType)(int)a.Kind };
        if (a.DocString.Length > 0)
        {
            p.DocString = a.DocString;
        }

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
            case Graph g: p.G = ExportGraph(g); break;
            case SparseTensor st: p.SparseTensor = ExportSparse(st, string.Empty); break;
            case TypeInfo ti: p.Tp = ExportType(ti); break;
            case float[] fs: p.Floats.AddRange(fs); break;
            case long[] ls: p.Ints.AddRange(ls); break;
            case string[] ss: p.Strings.AddRange(ss.Select(ByteString.CopyFromUtf8)); break;
            case Tensor[] ts: p.Tensors.AddRange(ts.Select(t => TensorProtoConverter.FromTensor(t))); break;
            case Graph[] gs: p.Graphs.AddRange(gs.Select(ExportGraph)); break;
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
        var p = new ValueInfoProto { Name = v.Name, DocString = v.DocString };
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
}
