using OpenAutoGlm.Core;
using OpenAutoGlm.Runtime;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests.Passes;

/// <summary>
/// merge-parallel-convs: a channel Concat of blocked convolutions over one input (a SqueezeNet fire module) becomes one
/// NchwcConv with the kernels zero-padded into the largest, outputs unchanged; anything that does not fit stays apart.
/// </summary>
public sealed class MergeParallelConvsTests
{
    private const string Domain = "ai.autoglm";

    private static ModelBuilder Conv(ModelBuilder b, string x, string y, int seed, int m, int c, int kh, int kw, long[] pads, string act = "Relu")
    {
        string w = $"{y}_w", bias = $"{y}_b";
        b.Initializer(w, Uniform(seed, -0.3f, 0.3f, m, c, kh, kw)).Initializer(bias, Uniform(seed + 1, -0.1f, 0.1f, m))
            .Node("Conv", [x, w, bias], [y + "_c"], NodeAttribute.Of("pads", pads));
        return act.Length == 0 ? b.Node("Identity", [y + "_c"], [y]) : b.Node(act, [y + "_c"], [y]);
    }

    /// <summary>Squeeze 1x1 (32 → 16) + Relu, then the expands of <paramref name="branches"/> concatenated, then a 1x1 reader.</summary>
    private static Model Fire(params (int M, int KH, int KW, long[] Pads, string Act)[] branches) => Fire(false, branches);

    private static Model Fire(bool extraReader, params (int M, int KH, int KW, long[] Pads, string Act)[] branches)
    {
        var b = new ModelBuilder().Input("x", DataType.Float32, 2, 32, 9, 9);
        Conv(b, "x", "s", 1, 16, 32, 1, 1, [0, 0, 0, 0]);
        var names = new List<string>();
        for (int i = 0; i < branches.Length; i++)
        {
            var (m, kh, kw, pads, act) = branches[i];
            Conv(b, "s", $"e{i}", 10 + (2 * i), m, 16, kh, kw, pads, act);
            names.Add($"e{i}");
        }

        int total = branches.Sum(x => x.M);
        b.Node("Concat", [.. names], ["cat"], NodeAttribute.Of("axis", 1L));
        Conv(b, "cat", "y", 50, 16, total, 1, 1, [0, 0, 0, 0], string.Empty);
        if (extraReader)
        {
            b.Node("Relu", ["e0"], ["side"]).Output("side");
        }

        return b.Output("y").Build();
    }

    private static InferenceSession Check(Func<Model> build) =>
        AssertOutputsPreserved(build, Feeds(("x", Random(3, 2, 32, 9, 9))), OptimizationLevel.All);

    [NchwcFact]
    public void FireModuleBecomesOneConvWithTheOneByOneCentred()
    {
        var session = Check(() => Fire((32, 1, 1, [0, 0, 0, 0], "Relu"), (32, 3, 3, [1, 1, 1, 1], "Relu")));
        var graph = session.Model.Graph;
        Assert.Equal(0, Count(session, "Concat"));
        Assert.Equal(3, Count(session, $"{Domain}.NchwcConv"));
        var merged = Assert.Single(graph.Nodes, n => n.OpType == "NchwcConv" && graph.Initializers[n.Inputs[1]].Dims[0] == 64);
        Assert.Equal([64, 16, 3, 3], graph.Initializers[merged.Inputs[1]].Dims.ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1 }, merged.Attributes.GetInts("pads"));
        Assert.Equal("Relu", merged.Attributes.GetString("activation", string.Empty));

        // The 1x1 branch's weights sit at the centre tap, zeros around them.
        var w = graph.Initializers[merged.Inputs[1]].AsReadOnlySpan<float>();
        for (int i = 0; i < 32 * 16 * 9; i++)
        {
            Assert.True(i % 9 == 4 || w[i] == 0f, $"weight {i} of the 1x1 branch is off-centre");
        }
    }

    [NchwcFact]
    public void ThreeBranchesUpToFiveByFiveMerge()
    {
        var session = Check(() => Fire((16, 3, 3, [1, 1, 1, 1], "Relu"), (32, 1, 1, [0, 0, 0, 0], "Relu"), (16, 5, 5, [2, 2, 2, 2], "Relu")));
        Assert.Equal(0, Count(session, "Concat"));
        var merged = Assert.Single(session.Model.Graph.Nodes, n => n.OpType == "NchwcConv" && session.Model.Graph.Initializers[n.Inputs[1]].Dims[0] == 64);
        Assert.Equal([64, 16, 5, 5], session.Model.Graph.Initializers[merged.Inputs[1]].Dims.ToArray());
    }

    public static TheoryData<string> Unmergeable => new() { "different activations", "a branch read elsewhere", "kernels that do not nest" };

    [NchwcTheory]
    [MemberData(nameof(Unmergeable))]
    public void BranchesThatDoNotFitStayApart(string why)
    {
        Func<Model> build = why switch
        {
            "different activations" => () => Fire((32, 1, 1, [0, 0, 0, 0], "Relu"), (32, 3, 3, [1, 1, 1, 1], "Sigmoid")),
            "a branch read elsewhere" => () => Fire(true, (32, 1, 1, [0, 0, 0, 0], "Relu"), (32, 3, 3, [1, 1, 1, 1], "Relu")),
            _ => () => Fire((32, 1, 3, [0, 1, 0, 1], "Relu"), (32, 3, 1, [1, 0, 1, 0], "Relu")),
        };
        var session = Check(build);
        Assert.Equal(1, Count(session, "Concat"));
        Assert.Equal(4, Count(session, $"{Domain}.NchwcConv"));
    }
}
