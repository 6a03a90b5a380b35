using OpenAutoGlm.Core;
using OpenAutoGlm.TestKit;
using static OpenAutoGlm.Optimizer.Tests.PassHarness;

namespace OpenAutoGlm.Optimizer.Tests;

/// <summary>Built-in models for the replay test: small graphs that exercise every basic pass at once.</summary>
internal static class ReplayModels
{
    public static IReadOnlyDictionary<string, Func<Model>> All { get; } = new Dictionary<string, Func<Model>>(StringComparer.Ordinal)
    {
        ["builtin_conv_bn_head"] = ConvBnHead,
        ["builtin_mlp_shape_chain"] = MlpShapeChain,
    };

    /// <summary>Conv→BN→Relu→Conv→Mul→Add→GlobalAveragePool→Flatten→MatMul→Add, with an Identity and a dead branch.</summary>
    private static Model ConvBnHead() => new ModelBuilder()
        .Input("image", DataType.Float32, 1, 3, 8, 8)
        .Initializer("w1", Random(1, 4, 3, 3, 3))
        .Initializer("gamma", Uniform(2, 0.5f, 1.5f, 4))
        .Initializer("beta", Random(3, 4))
        .Initializer("mean", Random(4, 4))
        .Initializer("var", Uniform(5, 0.5f, 1.5f, 4))
        .Initializer("w2", Random(6, 4, 4, 1, 1))
        .Initializer("scale", Random(7, 4, 1, 1))
        .Initializer("shift", Random(8, 1, 4, 1, 1))
        .Initializer("fc", Random(9, 4, 10))
        .Initializer("fc_b", Random(10, 10))
        .Node("Conv", ["image", "w1"], ["c1"], NodeAttribute.Of("pads", new long[] { 1, 1, 1, 1 }))
        .Node("BatchNormalization", ["c1", "gamma", "beta", "mean", "var"], ["b1"])
        .Node("Relu", ["b1"], ["r1"])
        .Node("Identity", ["r1"], ["r1i"])
        .Node("Conv", ["r1i", "w2"], ["c2"])
        .Node("Mul", ["c2", "scale"], ["m2"])
        .Node("Add", ["m2", "shift"], ["a2"])
        .Node("GlobalAveragePool", ["a2"], ["gap"])
        .Node("Flatten", ["gap"], ["flat"])
        .Node("MatMul", ["flat", "fc"], ["logits_mm"])
        .Node("Add", ["logits_mm", "fc_b"], ["logits"])
        .Node("Sigmoid", ["c2"], ["unused"])
        .Output("logits")
        .Build();

    /// <summary>Shape arithmetic feeding a Reshape, duplicated subexpressions, a lossless Cast round trip and Transpose pairs.</summary>
    private static Model MlpShapeChain() => new ModelBuilder()
        .Input("x", DataType.Float32, 2, 3, 4)
        .Initializer("zero", Tensor.Scalar(0L))
        .Initializer("axes", Longs(0))
        .Initializer("minus1", Longs(-1))
        .Initializer("w", Random(1, 12, 5))
        .Initializer("b", Random(2, 5))
        .Node("Shape", ["x"], ["shape"])
        .Node("Gather", ["shape", "zero"], ["batch"], NodeAttribute.Of("axis", 0L))
        .Node("Unsqueeze", ["batch", "axes"], ["batch1"])
        .Node("Concat", ["batch1", "minus1"], ["target"], NodeAttribute.Of("axis", 0L))
        .Node("Transpose", ["x"], ["xt"], NodeAttribute.Of("perm", new long[] { 0, 2, 1 }))
        .Node("Transpose", ["xt"], ["xtt"], NodeAttribute.Of("perm", new long[] { 0, 2, 1 }))
        .Node("Reshape", ["xtt", "target"], ["flat"])
        .Node("Cast", ["flat"], ["flat64"], NodeAttribute.Of("to", (long)DataType.Float64))
        .Node("Cast", ["flat64"], ["flat32"], NodeAttribute.Of("to", (long)DataType.Float32))
        .Node("MatMul", ["flat32", "w"], ["h"])
        .Node("Add", ["h", "b"], ["hb"])
        .Node("Tanh", ["hb"], ["t1"])
        .Node("Tanh", ["hb"], ["t2"])
        .Node("Mul", ["t1", "t2"], ["y"])
        .Output("y")
        .Build();
}
