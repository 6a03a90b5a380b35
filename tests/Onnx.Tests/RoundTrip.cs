using Google.Protobuf;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx.Protos;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Onnx.Tests;

/// <summary>
/// The round-trip contract: load → save → load gives the same graph; the saved bytes are a valid ModelProto
/// that keeps every node, attribute, initializer and value_info of the original file; and saving is idempotent
/// (save(load(save(load(x)))) == save(load(x)) byte for byte).
/// </summary>
internal static class RoundTrip
{
    /// <summary>Checks one model file; returns null when it round-trips, else the first problem.</summary>
    public static string? Check(string modelPath)
    {
        byte[] original = File.ReadAllBytes(modelPath);
        var loaded = OnnxModelLoader.Load(modelPath);
        return Check(original, loaded, Path.GetDirectoryName(Path.GetFullPath(modelPath)));
    }

    /// <summary>Checks a model already loaded from <paramref name="original"/>.</summary>
    public static string? Check(byte[] original, Model loaded, string? baseDirectory)
    {
        byte[] saved = OnnxModelSaver.ToBytes(loaded);
        ModelProto savedProto;
        try
        {
            savedProto = ModelProto.Parser.ParseFrom(saved);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return $"saved bytes do not parse as a ModelProto: {ex.Message}";
        }

        var originalCensus = ProtoCensus.Of(ModelProto.Parser.ParseFrom(original));
        var savedCensus = ProtoCensus.Of(savedProto);
        if (originalCensus != savedCensus)
        {
            return $"saved file lost or gained content: {savedCensus} != original {originalCensus}";
        }

        var reloaded = OnnxModelLoader.Load(saved, baseDirectory, "saved model");
        if (GraphComparer.Compare(loaded, reloaded) is { } diff)
        {
            return $"reloaded model differs: {diff}";
        }

        byte[] again = OnnxModelSaver.ToBytes(reloaded);
        if (!again.AsSpan().SequenceEqual(saved))
        {
            int at = again.AsSpan().CommonPrefixLength(saved);
            return $"saving is not idempotent: second save ({again.Length} bytes) differs from the first ({saved.Length} bytes) at byte {at}";
        }

        return null;
    }
}

/// <summary>
/// Counts of what a ModelProto holds, recursing into subgraphs and functions: nodes, attributes, initializers
/// (dense and sparse), graph inputs/outputs/value_infos, functions and opset imports. Equal censuses of the file
/// and of its re-save show the importer dropped nothing (the IR keeps names unique, so a file with duplicate
/// attribute or value_info names would differ, which is also worth knowing).
/// </summary>
internal sealed record ProtoCensus(int Graphs, int Nodes, int Attributes, int Initializers, int SparseInitializers, int ValueInfos, int Functions, int OpsetImports)
{
    public static ProtoCensus Of(ModelProto m)
    {
        var c = new Counter { OpsetImports = m.OpsetImport.Count, Functions = m.Functions.Count };
        if (m.Graph is not null)
        {
            c.Graph(m.Graph);
        }

        foreach (var f in m.Functions)
        {
            c.OpsetImports += f.OpsetImport.Count;
            foreach (var n in f.Node)
            {
                c.Node(n);
            }
        }

        return new ProtoCensus(c.Graphs, c.Nodes, c.Attributes, c.Initializers, c.SparseInitializers, c.ValueInfos, c.Functions, c.OpsetImports);
    }

    private sealed class Counter
    {
        public int Graphs { get; set; }

        public int Nodes { get; set; }

        public int Attributes { get; set; }

        public int Initializers { get; set; }

        public int SparseInitializers { get; set; }

        public int ValueInfos { get; set; }

        public int Functions { get; set; }

        public int OpsetImports { get; set; }

        public void Graph(GraphProto g)
        {
            Graphs++;
            Initializers += g.Initializer.Count;
            SparseInitializers += g.SparseInitializer.Count;
            ValueInfos += g.Input.Count + g.Output.Count + g.ValueInfo.Count;
            foreach (var n in g.Node)
            {
                Node(n);
            }
        }

        public void Node(NodeProto n)
        {
            Nodes++;
            foreach (var a in n.Attribute)
            {
                Attributes++;
                if (a.G is not null)
                {
                    Graph(a.G);
                }

                foreach (var g in a.Graphs)
                {
                    Graph(g);
                }
            }
        }
    }
}
