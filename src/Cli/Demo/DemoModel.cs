using OpenAutoGlm.Core;

namespace OpenAutoGlm.Cli.Demo;

/// <summary>
/// The model <c>autoglm run</c> uses when no model file is given: a two-layer MLP classifier built in code
/// with fixed seeded weights, so the command works on a fresh machine with no files.
/// <code>
/// features[batch,4] → Gemm(W1[4,8], b1[8]) → Relu → Gemm(W2[8,3], b2[3]) → logits[batch,3] → Softmax → probabilities[batch,3]
/// </code>
/// </summary>
internal static class DemoModel
{
    public const int Features = 4;
    public const int Hidden = 8;
    public const int Classes = 3;
    public const int WeightSeed = 42;

    public static string Description =>
        $"built-in demo: 2-layer MLP classifier (Gemm {Features}->{Hidden}, Relu, Gemm {Hidden}->{Classes}, Softmax), fixed weights (seed {WeightSeed})";

    public static Model Create()
    {
        var graph = new Graph("autoglm_demo_mlp");
        var model = new Model(graph) { ProducerName = "autoglm", DocString = Description };
        model.OpsetImports[string.Empty] = 17;

        var rng = new Random(WeightSeed);
        graph.Initializers["W1"] = Weights(rng, [Features, Hidden], 1 / MathF.Sqrt(Features));
        graph.Initializers["b1"] = Weights(rng, [Hidden], 0.1f);
        graph.Initializers["W2"] = Weights(rng, [Hidden, Classes], 1 / MathF.Sqrt(Hidden));
        graph.Initializers["b2"] = Weights(rng, [Classes], 0.1f);

        graph.Inputs.Add(ValueInfo.Tensor("features", DataType.Float32, new Shape(Dim.Symbolic("batch"), Features)));
        graph.Nodes.Add(new Node("Gemm", ["features", "W1", "b1"], ["hidden"], "fc1"));
        graph.Nodes.Add(new Node("Relu", ["hidden"], ["hidden_relu"], "relu1"));
        graph.Nodes.Add(new Node("Gemm", ["hidden_relu", "W2", "b2"], ["logits"], "fc2"));
        var softmax = new Node("Softmax", ["logits"], ["probabilities"], "softmax");
        softmax.Attributes.Set(NodeAttribute.Of("axis", -1L));
        graph.Nodes.Add(softmax);
        graph.Outputs.Add(ValueInfo.Tensor("logits", DataType.Float32, new Shape(Dim.Symbolic("batch"), Classes)));
        graph.Outputs.Add(ValueInfo.Tensor("probabilities", DataType.Float32, new Shape(Dim.Symbolic("batch"), Classes)));
        return model;
    }

    /// <summary>Uniform in [-scale, scale).</summary>
    private static Tensor<float> Weights(Random rng, int[] dims, float scale)
    {
        var t = new Tensor<float>(dims);
        var span = t.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (float)((rng.NextDouble() * 2) - 1) * scale;
        }

        return t;
    }
}
