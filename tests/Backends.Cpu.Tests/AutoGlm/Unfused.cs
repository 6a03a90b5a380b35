using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;

namespace OpenAutoGlm.Backends.Cpu.Tests.AutoGlm;

/// <summary>
/// The oracle of the ai.autoglm op tests: the same computation written as the unfused ONNX subgraph and run through a
/// session (each ONNX op has its own reference test), plus seeded random inputs.
/// </summary>
internal static class Unfused
{
    public static Tensor<float> Random(int seed, params int[] dims)
    {
        var rng = new Random(seed);
        int n = dims.Aggregate(1, (a, b) => a * b);
        return Tensor.Create(Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 4) - 2)).ToArray(), dims);
    }

    /// <summary>Runs a model whose graph inputs are fed by name and returns output <paramref name="output"/>.</summary>
    public static Tensor Run(ModelBuilder builder, string output, params (string Name, Tensor Value)[] feeds) =>
        (Tensor)GraphBuilder.Run(builder.Build(), feeds.Select(f => (f.Name, (DataValue)f.Value)).ToArray())[output];

    /// <summary>Appends the ONNX nodes of a fused-op activation (docs/ops.md) from <paramref name="x"/> to <paramref name="y"/>.</summary>
    public static ModelBuilder Activation(this ModelBuilder b, string name, float[] p, string x, string y)
    {
        string t = $"{y}_t";
        return name switch
        {
            "" => b.Node("Identity", [x], [y]),
            "Relu" or "Sigmoid" or "Tanh" or "HardSwish" => b.Node(name, [x], [y]),
            "Clip" => b.Initializer($"{y}_lo", Tensor.Scalar(p[0])).Initializer($"{y}_hi", Tensor.Scalar(p[1])).Node("Clip", [x, $"{y}_lo", $"{y}_hi"], [y]),
            "Relu6" => b.Initializer($"{y}_lo", Tensor.Scalar(0f)).Initializer($"{y}_hi", Tensor.Scalar(6f)).Node("Clip", [x, $"{y}_lo", $"{y}_hi"], [y]),
            "HardSigmoid" => b.Node("HardSigmoid", [x], [y], NodeAttribute.Of("alpha", p[0]), NodeAttribute.Of("beta", p[1])),
            "LeakyRelu" => b.Node("LeakyRelu", [x], [y], NodeAttribute.Of("alpha", p[0])),
            "SiLU" => b.Node("Sigmoid", [x], [t]).Node("Mul", [x, t], [y]),
            "Gelu" => b.GeluErf(x, y),
            "GeluTanh" => b.GeluTanh(x, y),
            _ => throw new ArgumentException(name),
        };
    }

    /// <summary>PyTorch's erf GELU export: Mul(Mul(x, 1 + erf(x / 1.41421)), 0.5).</summary>
    public static ModelBuilder GeluErf(this ModelBuilder b, string x, string y) => b
        .Initializer($"{y}_sqrt2", Tensor.Scalar(1.4142135f)).Initializer($"{y}_one", Tensor.Scalar(1f)).Initializer($"{y}_half", Tensor.Scalar(0.5f))
        .Node("Div", [x, $"{y}_sqrt2"], [$"{y}_d"]).Node("Erf", [$"{y}_d"], [$"{y}_e"]).Node("Add", [$"{y}_e", $"{y}_one"], [$"{y}_a"])
        .Node("Mul", [x, $"{y}_a"], [$"{y}_m"]).Node("Mul", [$"{y}_m", $"{y}_half"], [y]);

    /// <summary>PyTorch's tanh GELU export: Mul(Mul(x, 0.5), 1 + tanh(0.79788 (x + 0.044715 Pow(x, 3)))).</summary>
    public static ModelBuilder GeluTanh(this ModelBuilder b, string x, string y) => b
        .Initializer($"{y}_half", Tensor.Scalar(0.5f)).Initializer($"{y}_three", Tensor.Scalar(3f)).Initializer($"{y}_c", Tensor.Scalar(0.044715f))
        .Initializer($"{y}_k", Tensor.Scalar(0.7978846f)).Initializer($"{y}_one", Tensor.Scalar(1f))
        .Node("Mul", [x, $"{y}_half"], [$"{y}_xh"]).Node("Pow", [x, $"{y}_three"], [$"{y}_p"]).Node("Mul", [$"{y}_p", $"{y}_c"], [$"{y}_pc"])
        .Node("Add", [x, $"{y}_pc"], [$"{y}_in"]).Node("Mul", [$"{y}_in", $"{y}_k"], [$"{y}_ik"]).Node("Tanh", [$"{y}_ik"], [$"{y}_t"])
        .Node("Add", [$"{y}_t", $"{y}_one"], [$"{y}_a"]).Node("Mul", [$"{y}_xh", $"{y}_a"], [y]);

    public static readonly TheoryData<string, float[]> Activations = new()
    {
        { "", [] },
        { "Relu", [] },
        { "Clip", [-0.5f, 0.75f] },
        { "Relu6", [] },
        { "Sigmoid", [] },
        { "HardSigmoid", [0.3f, 0.4f] },
        { "HardSwish", [] },
        { "SiLU", [] },
        { "LeakyRelu", [0.1f] },
        { "Gelu", [] },
        { "GeluTanh", [] },
        { "Tanh", [] },
    };

    public static OpTester WithActivation(this OpTester t, string name, float[] p)
    {
        if (name.Length > 0)
        {
            t.Attr("activation", name);
        }

        return p.Length > 0 ? t.Attr("activation_params", p) : t;
    }
}
