using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Onnx.Tests;

/// <summary>
/// The round-trip tests are only as good as <see cref="GraphComparer"/>: it must see a change anywhere in a model,
/// including deep inside nested subgraphs and functions, and say where.
/// </summary>
public sealed class GraphComparerTests
{
    public static TheoryData<string, string> Changes() => new()
    {
        { "ir_version", "ir_version: 7 != expected 8" },
        { "opset", "opset_import '': 16 != expected 17" },
        { "metadata", "metadata_props: unexpected 'extra'" },
        { "initializer byte", "main graph 'kitchen_sink': initializer 'u8_raw': bytes differ at byte 2 of 4" },
        { "initializer dims", "initializer 'f32_raw': dims [3,1] != expected [3]" },
        { "string initializer", "initializer 'str': string element 1 'x' != expected ''" },
        { "nan payload", "initializer 'f32_typed': bytes differ at byte 8 of 16" },
        { "input shape", "input 0 'x': type: float32[batch,4,?] != expected float32[batch,3,?]" },
        { "value_info", "value_info 0 'e0': type: float32[2] != expected float32[1]" },
        { "node input", "node 0 'everything' (Everything): inputs: item 1 'z' != expected ''" },
        { "attribute float", "node 0 'everything' (Everything)/attribute 'f': -0 != expected -0.25" },
        { "attribute ints", "attribute 'is': item 2 1 != expected 9223372036854775807" },
        { "deep subgraph", "node 1 'if' (If)/attribute 'then_branch'/graph 'then'/node 0 'loop' (Loop)/attribute 'body'/graph 'loop_body'/node 0 'acc_add' (Add): op_type: 'Sub' != expected 'Add'" },
        { "graphs attribute", "attribute 'gs'[1]/graph 'gs1'/node 0 'Identity_0' (Identity): outputs: item 0 'e' != expected 'd'" },
        { "function node", "function 0 'com.example.ScaledIdentity'/node 1 'scale' (Mul): op_type: 'Add' != expected 'Mul'" },
        { "ref attribute", "attribute 'value_float': ref_attr_name: 'beta' != expected 'alpha'" },
        { "sparse", "sparse initializer 'sparse_w': dims: item 1 5 != expected 4" },
    };

    [Fact]
    public void IdenticalModelsCompareEqual()
    {
        Assert.Null(GraphComparer.Compare(Load(), Load()));
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void FindsTheChangeAndSaysWhere(string change, string expected)
    {
        var actual = Load();
        Apply(change, actual);
        string? diff = GraphComparer.Compare(Load(), actual);
        Assert.NotNull(diff);
        Assert.True(diff.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in: {diff}");
    }

    private static Model Load() => MalformedModelTests.Load(SampleModels.KitchenSink());

    private static void Apply(string change, Model m)
    {
        var g = m.Graph;
        var everything = g.Nodes[0];
        switch (change)
        {
            case "ir_version": m.IrVersion = 7; break;
            case "opset": m.OpsetImports[string.Empty] = 16; break;
            case "metadata": m.MetadataProps["extra"] = "1"; break;
            case "initializer byte": g.Initializers["u8_raw"].AsBytes()[2] ^= 1; break;
            case "initializer dims": g.Initializers["f32_raw"] = g.Initializers["f32_raw"].Reshape([3, 1]); break;
            case "string initializer": ((StringTensor)g.Initializers["str"]).Data[1] = "x"; break;
            case "nan payload": g.Initializers["f32_typed"].AsSpan<float>()[2] = BitConverter.Int32BitsToSingle(0x7FC00001); break;
            case "input shape": g.Inputs[0].Type = new TensorTypeInfo(DataType.Float32, new Shape(Dim.Symbolic("batch"), 4, Dim.Unknown)); break;
            case "value_info": g.ValueInfos["e0"].Type = new TensorTypeInfo(DataType.Float32, new Shape(2)); break;
            case "node input": everything.Inputs[1] = "z"; break;
            case "attribute float": everything.Attributes.Set(NodeAttribute.Of("f", -0f)); break;
            case "attribute ints": everything.Attributes.Set(NodeAttribute.Of("is", new long[] { -1, 0, 1 })); break;
            case "deep subgraph":
                var then = g.Nodes[1].Attributes.GetRequiredGraph("then_branch");
                then.Nodes[0].Attributes.GetRequiredGraph("body").Nodes[0].OpType = "Sub";
                break;
            case "graphs attribute": ((Graph[])everything.Attributes["gs"].Value)[1].Nodes[0].Outputs[0] = "e"; break;
            case "function node": m.Functions[0].Nodes[1].OpType = "Add"; break;
            case "ref attribute": m.Functions[0].Nodes[0].Attributes.Set(new NodeAttribute("value_float", AttributeKind.Float, 0f, "beta")); break;
            case "sparse":
                var s = g.SparseInitializers["sparse_w"];
                g.SparseInitializers["sparse_w"] = new SparseTensor(s.Values, s.Indices, [2, 5]);
                break;
            default: throw new ArgumentException(change);
        }
    }
}
