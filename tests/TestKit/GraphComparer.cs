using System.Globalization;
using OpenAutoGlm.Core;

namespace OpenAutoGlm.TestKit;

/// <summary>
/// Exact structural comparison of models and graphs: metadata, opset imports, functions, graph inputs, outputs
/// and value_infos (types and shapes), initializers (dtype, dims, bytes), and nodes (op, domain, name, inputs,
/// outputs, attributes with kinds and values, nested subgraphs recursively). Floats compare bit for bit, so NaN
/// payloads count. Every method returns null when equal, else the first difference with its path
/// (<c>graph 'main'/node 3 'If_3' (If)/attribute 'then_branch'/...</c>).
/// </summary>
public static class GraphComparer
{
    public static string? Compare(Model expected, Model actual)
    {
        return Field("ir_version", expected.IrVersion, actual.IrVersion)
            ?? Field("producer_name", expected.ProducerName, actual.ProducerName)
            ?? Field("producer_version", expected.ProducerVersion, actual.ProducerVersion)
            ?? Field("domain", expected.Domain, actual.Domain)
            ?? Field("model_version", expected.ModelVersion, actual.ModelVersion)
            ?? Field("doc_string", expected.DocString, actual.DocString)
            ?? Map("opset_import", expected.OpsetImports, actual.OpsetImports)
            ?? Map("metadata_props", expected.MetadataProps, actual.MetadataProps)
            ?? CompareFunctions(expected.Functions, actual.Functions)
            ?? Compare(expected.Graph, actual.Graph, "main graph");
    }

    /// <summary>Throws an xunit failure naming the first difference.</summary>
    public static void AssertEqual(Model expected, Model actual)
    {
        if (Compare(expected, actual) is { } why)
        {
            throw new Xunit.Sdk.XunitException(why);
        }
    }

    public static string? Compare(Graph expected, Graph actual, string path = "graph")
    {
        path = $"{path} '{expected.Name}'";
        if (Field($"{path}: name", expected.Name, actual.Name) is { } d)
        {
            return d;
        }

        return Field($"{path}: doc_string", expected.DocString, actual.DocString)
            ?? ValueInfos($"{path}: input", expected.Inputs, actual.Inputs)
            ?? ValueInfos($"{path}: output", expected.Outputs, actual.Outputs)
            ?? ValueInfos($"{path}: value_info", expected.ValueInfos.Values.ToList(), actual.ValueInfos.Values.ToList())
            ?? Initializers(path, expected, actual)
            ?? Nodes(path, expected.Nodes, actual.Nodes);
    }

    /// <summary>Exact tensor equality: dtype, dims and bytes (strings element by element).</summary>
    public static string? CompareTensors(Tensor expected, Tensor actual, string path = "tensor")
    {
        if (expected.DataType != actual.DataType)
        {
            return $"{path}: dtype {actual.DataType.Name()} != expected {expected.DataType.Name()}";
        }

        if (!expected.Dims.SequenceEqual(actual.Dims))
        {
            return $"{path}: dims {actual.ShapeString} != expected {expected.ShapeString}";
        }

        if (expected is StringTensor es)
        {
            var a = ((StringTensor)actual).Data;
            for (int i = 0; i < es.Data.Length; i++)
            {
                if (!string.Equals(es.Data[i], a[i], StringComparison.Ordinal))
                {
                    return $"{path}: string element {i} '{a[i]}' != expected '{es.Data[i]}'";
                }
            }

            return null;
        }

        var eb = expected.AsBytes();
        var ab = actual.AsBytes();
        int at = eb.CommonPrefixLength(ab);
        return at == eb.Length && eb.Length == ab.Length ? null : $"{path}: bytes differ at byte {at} of {eb.Length}";
    }

    private static string? CompareFunctions(List<FunctionDefinition> expected, List<FunctionDefinition> actual)
    {
        if (expected.Count != actual.Count)
        {
            return $"functions: {actual.Count} != expected {expected.Count}";
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            string path = $"function {i} '{e.Domain}.{e.Name}'";
            string? d = Field($"{path}: name", e.Name, a.Name)
                ?? Field($"{path}: domain", e.Domain, a.Domain)
                ?? Field($"{path}: doc_string", e.DocString, a.DocString)
                ?? List($"{path}: inputs", e.Inputs, a.Inputs)
                ?? List($"{path}: outputs", e.Outputs, a.Outputs)
                ?? List($"{path}: attributes", e.AttributeNames, a.AttributeNames)
                ?? Map($"{path}: opset_import", e.OpsetImports, a.OpsetImports)
                ?? Attributes($"{path}: attribute default", e.AttributeDefaults, a.AttributeDefaults)
                ?? Nodes(path, e.Nodes, a.Nodes);
            if (d is not null)
            {
                return d;
            }
        }

        return null;
    }

    private static string? ValueInfos(string path, IReadOnlyList<ValueInfo> expected, IReadOnlyList<ValueInfo> actual)
    {
        if (expected.Count != actual.Count)
        {
            return $"{path}: count {actual.Count} != expected {expected.Count} ([{string.Join(", ", actual.Select(v => v.Name))}] vs [{string.Join(", ", expected.Select(v => v.Name))}])";
        }

        for (int i = 0; i < expected.Count; i++)
        {
            string p = $"{path} {i} '{expected[i].Name}'";
            string? d = Field($"{p}: name", expected[i].Name, actual[i].Name)
                ?? Field($"{p}: doc_string", expected[i].DocString, actual[i].DocString)
                ?? Types($"{p}: type", expected[i].Type, actual[i].Type);
            if (d is not null)
            {
                return d;
            }
        }

        return null;
    }

    private static string? Types(string path, TypeInfo? expected, TypeInfo? actual)
    {
        // Records compare structurally, but Shape is a class with its own Equals: spell it out for a clear message.
        return Equals(expected, actual) ? null : $"{path}: {Show(actual)} != expected {Show(expected)}";

        static string Show(TypeInfo? t) => t?.ToString() ?? "(none)";
    }

    private static string? Initializers(string path, Graph expected, Graph actual)
    {
        if (List($"{path}: initializer names", expected.Initializers.Keys.ToList(), actual.Initializers.Keys.ToList()) is { } d)
        {
            return d;
        }

        foreach (var (name, e) in expected.Initializers)
        {
            if (CompareTensors(e, actual.Initializers[name], $"{path}: initializer '{name}'") is { } t)
            {
                return t;
            }
        }

        if (List($"{path}: sparse initializer names", expected.SparseInitializers.Keys.ToList(), actual.SparseInitializers.Keys.ToList()) is { } s)
        {
            return s;
        }

        foreach (var (name, e) in expected.SparseInitializers)
        {
            if (Sparse($"{path}: sparse initializer '{name}'", e, actual.SparseInitializers[name]) is { } t)
            {
                return t;
            }
        }

        return null;
    }

    private static string? Sparse(string path, SparseTensor expected, SparseTensor actual) =>
        List($"{path}: dims", expected.Dims, actual.Dims)
            ?? CompareTensors(expected.Values, actual.Values, $"{path}: values")
            ?? CompareTensors(expected.Indices, actual.Indices, $"{path}: indices");

    private static string? Nodes(string path, List<Node> expected, List<Node> actual)
    {
        if (expected.Count != actual.Count)
        {
            return $"{path}: {actual.Count} nodes != expected {expected.Count}";
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            string p = $"{path}/node {i} '{e.Name}' ({e.OpType})";
            string? d = Field($"{p}: op_type", e.OpType, a.OpType)
                ?? Field($"{p}: domain", e.Domain, a.Domain)
                ?? Field($"{p}: name", e.Name, a.Name)
                ?? Field($"{p}: doc_string", e.DocString, a.DocString)
                ?? List($"{p}: inputs", e.Inputs, a.Inputs)
                ?? List($"{p}: outputs", e.Outputs, a.Outputs)
                ?? Attributes(p, e.Attributes.ToList(), a.Attributes.ToList());
            if (d is not null)
            {
                return d;
            }
        }

        return null;
    }

    private static string? Attributes(string path, List<NodeAttribute> expected, List<NodeAttribute> actual)
    {
        if (List($"{path}: attribute names", expected.Select(a => a.Name).ToList(), actual.Select(a => a.Name).ToList()) is { } d)
        {
            return d;
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            string p = $"{path}/attribute '{e.Name}'";
            string? diff = Field($"{p}: kind", e.Kind, a.Kind)
                ?? Field($"{p}: ref_attr_name", e.RefAttributeName, a.RefAttributeName)
                ?? Field($"{p}: doc_string", e.DocString, a.DocString)
                ?? (e.RefAttributeName is null ? Value(p, e.Value, a.Value) : null);
            if (diff is not null)
            {
                return diff;
            }
        }

        return null;
    }

    private static string? Value(string path, object expected, object actual)
    {
        switch (expected, actual)
        {
            case (float e, float a):
                return BitConverter.SingleToInt32Bits(e) == BitConverter.SingleToInt32Bits(a) ? null : $"{path}: {Show(a)} != expected {Show(e)}";
            case (long e, long a):
                return Field(path, e, a);
            case (string e, string a):
                return Field(path, e, a);
            case (Tensor e, Tensor a):
                return CompareTensors(e, a, path);
            case (Graph e, Graph a):
                return Compare(e, a, $"{path}/graph");
            case (SparseTensor e, SparseTensor a):
                return Sparse(path, e, a);
            case (TypeInfo e, TypeInfo a):
                return Types(path, e, a);
            case (float[] e, float[] a):
                return List(path, e.Select(BitConverter.SingleToInt32Bits).ToList(), a.Select(BitConverter.SingleToInt32Bits).ToList());
            case (long[] e, long[] a):
                return List(path, e, a);
            case (string[] e, string[] a):
                return List(path, e, a);
            case (Tensor[] e, Tensor[] a):
                return Each(path, e, a, (p, x, y) => CompareTensors(x, y, p));
            case (Graph[] e, Graph[] a):
                return Each(path, e, a, (p, x, y) => Compare(x, y, $"{p}/graph"));
            case (SparseTensor[] e, SparseTensor[] a):
                return Each(path, e, a, Sparse);
            case (TypeInfo[] e, TypeInfo[] a):
                return Each(path, e, a, Types);
            default:
                return $"{path}: value is {actual.GetType().Name}, expected {expected.GetType().Name}";
        }
    }

    private static string? Each<T>(string path, T[] expected, T[] actual, Func<string, T, T, string?> compare)
    {
        if (expected.Length != actual.Length)
        {
            return $"{path}: {actual.Length} items != expected {expected.Length}";
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (compare($"{path}[{i}]", expected[i], actual[i]) is { } d)
            {
                return d;
            }
        }

        return null;
    }

    private static string? Field<T>(string path, T expected, T actual) =>
        EqualityComparer<T>.Default.Equals(expected, actual) ? null : $"{path}: {Show(actual)} != expected {Show(expected)}";

    private static string? List<T>(string path, IReadOnlyList<T> expected, IReadOnlyList<T> actual)
    {
        int n = Math.Min(expected.Count, actual.Count);
        for (int i = 0; i < n; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(expected[i], actual[i]))
            {
                return $"{path}: item {i} {Show(actual[i])} != expected {Show(expected[i])}";
            }
        }

        return expected.Count == actual.Count ? null : $"{path}: {actual.Count} items != expected {expected.Count}";
    }

    private static string? Map<TValue>(string path, Dictionary<string, TValue> expected, Dictionary<string, TValue> actual)
    {
        foreach (var (k, v) in expected)
        {
            if (!actual.TryGetValue(k, out var a))
            {
                return $"{path}: '{k}' is missing";
            }

            if (Field($"{path} '{k}'", v, a) is { } d)
            {
                return d;
            }
        }

        foreach (var k in actual.Keys)
        {
            if (!expected.ContainsKey(k))
            {
                return $"{path}: unexpected '{k}'";
            }
        }

        return null;
    }

    private static string Show(object? value) => value switch
    {
        null => "(null)",
        string s => $"'{s}'",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
